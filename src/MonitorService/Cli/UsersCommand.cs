using Microsoft.AspNetCore.Identity;
using MonitorService.Accounts;
using MonitorService.Storage.Entities;

namespace MonitorService.Cli;

/// <summary>
/// <c>MonitorService users add EMAIL [--admin] [--team NAME]...</c> creates a dashboard user with a password;
/// <c>users remove EMAIL</c> removes an account, local or from single sign-on.
/// </summary>
public static class UsersCommand
{
    public const string Usage = """
        Usage:
          MonitorService users add EMAIL [--admin] [--team NAME]...
          MonitorService users remove EMAIL

        The password is asked for at a prompt, or read as one line from standard input when that is not a terminal
        (echo "$PASSWORD" | MonitorService users add ops@example.com --team ops). At least 12 characters.
        --admin    sees and manages every team
        --team     a team the user belongs to (created when missing); repeatable

        remove deletes the account with its team memberships and its single sign-on link; its sessions end within
        30 minutes (at their next security check). Single sign-on never joins a provider identity to an account
        that has its e-mail address: remove the local account first to let the provider's identity have it.
        """;

    public static async Task<int> RunAsync(CliContext context, IReadOnlyList<string> args, CancellationToken ct)
    {
        if (args.Count == 0 || args[0] is "--help" or "-h" or "help")
        {
            await context.Stdout.WriteLineAsync(Usage);
            return args.Count == 0 ? ExitCodes.Usage : ExitCodes.Ok;
        }
        if (args[0] == "remove")
            return await RemoveAsync(context, args.Skip(1).ToList(), ct);
        if (args[0] != "add")
            throw new UsageException($"Unknown users command '{args[0]}'.\n\n{Usage}");
        string? email = null;
        var admin = false;
        var teams = new List<string>();
        var reader = new ArgumentReader(args.Skip(1).ToList());
        while (reader.TryNext(out var arg, out var inline))
        {
            switch (arg)
            {
                case "--admin":
                    ArgumentReader.NoValue(arg, inline);
                    admin = true;
                    break;
                case "--team":
                    teams.Add(reader.Value(arg, inline));
                    break;
                case var option when option.StartsWith('-'):
                    throw new UsageException($"Unknown option '{option}' for users add.");
                default:
                    email = email is null ? arg : throw new UsageException($"Unexpected argument '{arg}' for users add.");
                    break;
            }
        }
        if (email is null)
            throw new UsageException("Name the user: MonitorService users add ops@example.com");

        var password = await ReadPasswordAsync(context);
        await using var host = await context.StartHostAsync(ct);
        await using var scope = host.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<MonitorUser>>();
        var user = new MonitorUser { Id = Guid.NewGuid(), UserName = email.Trim(), Email = email.Trim(), IsAdmin = admin, CreatedAt = DateTimeOffset.UtcNow };
        var created = await users.CreateAsync(user, password);
        if (!created.Succeeded)
            throw new UsageException($"Cannot create {email}: {string.Join(" ", created.Errors.Select(e => e.Description))}");
        var directory = host.Services.GetRequiredService<UserDirectory>();
        foreach (var name in teams)
        {
            var team = await directory.GetOrCreateTeamAsync(name, ct);
            await directory.AddMemberAsync(team.Id, user.Id, ct);
        }
        await context.Stdout.WriteLineAsync(
            $"Created {user.Email}{(admin ? " (administrator: every team)" : "")}{(teams.Count > 0 ? $", member of {string.Join(", ", teams)}" : "")}.");
        return ExitCodes.Ok;
    }

    private static async Task<int> RemoveAsync(CliContext context, IReadOnlyList<string> args, CancellationToken ct)
    {
        if (args.Count != 1 || args[0].StartsWith('-'))
            throw new UsageException("Name the account: MonitorService users remove ops@example.com");
        await using var host = await context.StartHostAsync(ct);
        await using var scope = host.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<MonitorUser>>();
        var user = await users.FindByEmailAsync(args[0].Trim()) ?? throw new AccountRequestException($"There is no account {args[0].Trim()}.");
        var removed = await users.DeleteAsync(user);
        if (!removed.Succeeded)
            throw new AccountRequestException($"Cannot remove {user.Email}: {string.Join(" ", removed.Errors.Select(e => e.Description))}");
        await context.Stdout.WriteLineAsync($"Removed {user.Email}.");
        return ExitCodes.Ok;
    }

    /// <summary>Typed twice without echo at a terminal; otherwise one line from standard input (scripts, tests).</summary>
    private static async Task<string> ReadPasswordAsync(CliContext context)
    {
        if (ReferenceEquals(context.Stdin, Console.In) && !Console.IsInputRedirected)
        {
            var first = Prompt(context, "Password: ");
            var second = Prompt(context, "Repeat password: ");
            return first == second ? first : throw new UsageException("The passwords differ.");
        }
        return (await context.Stdin.ReadLineAsync())?.TrimEnd('\r') is { Length: > 0 } line
            ? line
            : throw new UsageException("No password on standard input.");
    }

    private static string Prompt(CliContext context, string label)
    {
        context.Stderr.Write(label);
        var password = new System.Text.StringBuilder();
        for (var key = Console.ReadKey(intercept: true); key.Key != ConsoleKey.Enter; key = Console.ReadKey(intercept: true))
        {
            if (key.Key == ConsoleKey.Backspace && password.Length > 0)
                password.Length--;
            else if (!char.IsControl(key.KeyChar))
                password.Append(key.KeyChar);
        }
        context.Stderr.WriteLine();
        return password.ToString();
    }
}
