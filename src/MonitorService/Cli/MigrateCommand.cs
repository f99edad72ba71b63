namespace MonitorService.Cli;

/// <summary><c>MonitorService migrate</c>: brings the database schema (ours and Quartz's) up to date.</summary>
public static class MigrateCommand
{
    public static async Task<int> RunAsync(CliContext context, IReadOnlyList<string> args, CancellationToken ct)
    {
        if (args.Count > 0)
            throw new UsageException($"migrate takes no arguments ('{args[0]}' given).");
        await using var host = await context.StartHostAsync(ct);
        var pending = await host.Database.PendingMigrationsAsync(ct);
        await host.Database.MigrateAsync(host.Loggers.CreateLogger("migrate"), ct);
        await context.Stdout.WriteLineAsync(pending.Count == 0
            ? "The database schema is up to date."
            : $"Applied {pending.Count} migration(s): {string.Join(", ", pending)}.");
        return ExitCodes.Ok;
    }
}
