using MonitorService.Accounts;

namespace MonitorService.Cli;

/// <summary><c>MonitorService tokens create --team NAME [--name LABEL]</c>: prints a new API token for scripts.</summary>
public static class TokensCommand
{
    public const string Usage = """
        Usage:
          MonitorService tokens create --team NAME [--name LABEL]

        Prints the token (and nothing else) on standard output. It is shown only this once; the service keeps a hash.
        Use it as: Authorization: Bearer <token>. Revoke it on the team's settings page.
        """;

    public static async Task<int> RunAsync(CliContext context, IReadOnlyList<string> args, CancellationToken ct)
    {
        if (args.Count == 0 || args[0] is "--help" or "-h" or "help")
        {
            await context.Stdout.WriteLineAsync(Usage);
            return args.Count == 0 ? ExitCodes.Usage : ExitCodes.Ok;
        }
        if (args[0] != "create")
            throw new UsageException($"Unknown tokens command '{args[0]}'.\n\n{Usage}");
        string? team = null;
        var name = "cli";
        var reader = new ArgumentReader(args.Skip(1).ToList());
        while (reader.TryNext(out var arg, out var inline))
        {
            switch (arg)
            {
                case "--team":
                    team = reader.Value(arg, inline);
                    break;
                case "--name":
                    name = reader.Value(arg, inline);
                    break;
                default:
                    throw new UsageException($"Unexpected argument '{arg}' for tokens create.");
            }
        }
        if (team is null)
            throw new UsageException("Name the team: MonitorService tokens create --team ops");
        await using var host = await context.StartHostAsync(ct);
        var found = await host.Services.GetRequiredService<UserDirectory>().FindTeamAsync(team, ct)
            ?? throw new UsageException($"There is no team '{team}'.");
        var (_, secret) = await host.Services.GetRequiredService<ApiTokens>().CreateAsync(found.Id, name, "cli", ct);
        await context.Stdout.WriteLineAsync(secret);
        return ExitCodes.Ok;
    }
}
