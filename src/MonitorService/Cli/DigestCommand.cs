using MonitorService.Digest;
using MonitorService.Mail;

namespace MonitorService.Cli;

/// <summary><c>MonitorService digest send|preview --team NAME</c>: a team's weekly digest now, or its HTML in a file.</summary>
public static class DigestCommand
{
    public const string Usage = """
        Usage:
          MonitorService digest send --team NAME                      build the team's digest and send it now
          MonitorService digest preview --team NAME [--output FILE]   write the digest's HTML to FILE (default digest-NAME.html)
        """;

    public static async Task<int> RunAsync(CliContext context, IReadOnlyList<string> args, CancellationToken ct)
    {
        if (args.Count == 0 || args[0] is "--help" or "-h" or "help")
        {
            await context.Stdout.WriteLineAsync(Usage);
            return args.Count == 0 ? ExitCodes.Usage : ExitCodes.Ok;
        }
        var verb = args[0];
        if (verb is not ("send" or "preview"))
            throw new UsageException($"Unknown digest command '{verb}'.\n\n{Usage}");
        string? team = null, output = null;
        var reader = new ArgumentReader(args.Skip(1).ToList());
        while (reader.TryNext(out var arg, out var inline))
        {
            switch (arg)
            {
                case "--team":
                    team = reader.Value(arg, inline);
                    break;
                case "--output" when verb == "preview":
                    output = reader.Value(arg, inline);
                    break;
                default:
                    throw new UsageException($"Unexpected argument '{arg}' for digest {verb}.");
            }
        }
        if (team is null)
            throw new UsageException($"Name the team: MonitorService digest {verb} --team NAME");

        await using var host = await context.StartHostAsync(ct);
        var digests = host.Services.GetRequiredService<DigestService>();
        try
        {
            var owner = await digests.TeamAsync(team, ct);
            if (verb == "preview")
            {
                var content = await digests.BuildAsync(owner, ct);
                var path = Path.GetFullPath(output ?? $"digest-{new string(team.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '_').ToArray())}.html");
                await File.WriteAllTextAsync(path, DigestRenderer.Html(content), ct);
                await context.Stdout.WriteLineAsync($"Wrote the digest of team {team} ({content.Domains.Count} domains) to {path}");
                return ExitCodes.Ok;
            }
            var messages = await digests.QueueNowAsync(owner, ct);
            var run = await host.Services.GetRequiredService<OutboxDelivery>().DeliverAsync(includeNotYetDue: true, ct);
            await context.Stdout.WriteLineAsync($"Digest of team {team} queued for {messages.Count} recipients, one message each; {run.Sent} mail sent.");
            if (run.LastError is not null)
                await context.Stderr.WriteLineAsync($"error: {run.LastError}");
            return run.LoginRefused ? ExitCodes.Config : run.Unreachable ? ExitCodes.Unavailable
                : run.Retrying + run.Failed > 0 ? ExitCodes.FindingsWithErrors : ExitCodes.Ok;
        }
        catch (DigestRequestException e)
        {
            await context.Stderr.WriteLineAsync($"error: {e.Message}");
            return ExitCodes.Usage;
        }
    }
}
