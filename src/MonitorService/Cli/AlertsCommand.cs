using System.Globalization;
using Microsoft.EntityFrameworkCore;
using MonitorService.Mail;
using MonitorService.Storage;
using MonitorService.Storage.Entities;

namespace MonitorService.Cli;

/// <summary><c>MonitorService alerts send|list</c>: deliver queued mail and alert channel deliveries now, and show what is queued or failed.</summary>
public static class AlertsCommand
{
    public const string Usage = """
        Usage:
          MonitorService alerts send             deliver every queued mail now (exit 0 when all was sent, 69 when the server cannot be reached, 78 when it refuses the login)
          MonitorService alerts list [--all]     queued and failed mail (--all: sent mail too), newest first

        Mail goes to Smtp__Host; without one it is written as .eml files to .data/outbox/.
        Alert channel deliveries (webhook, Slack, Teams) are sent and listed with the mail.
        """;

    public static async Task<int> RunAsync(CliContext context, IReadOnlyList<string> args, CancellationToken ct)
    {
        if (args.Count == 0 || args[0] is "--help" or "-h" or "help")
        {
            await context.Stdout.WriteLineAsync(Usage);
            return args.Count == 0 ? ExitCodes.Usage : ExitCodes.Ok;
        }
        var verb = args[0];
        var all = false;
        var reader = new ArgumentReader(args.Skip(1).ToList());
        while (reader.TryNext(out var arg, out var inline))
        {
            if (arg == "--all" && verb == "list")
            {
                ArgumentReader.NoValue(arg, inline);
                all = true;
            }
            else
                throw new UsageException($"Unexpected argument '{arg}' for alerts {verb}.");
        }
        if (verb is not ("send" or "list"))
            throw new UsageException($"Unknown alerts command '{verb}'.\n\n{Usage}");
        await using var host = await context.StartHostAsync(ct);
        return verb == "send" ? await SendAsync(context, host, ct) : await ListAsync(context, host, all, ct);
    }

    private static async Task<int> SendAsync(CliContext context, CliHost host, CancellationToken ct)
    {
        var run = await host.Services.GetRequiredService<OutboxDelivery>().DeliverAsync(includeNotYetDue: true, ct);
        var destination = host.Services.GetRequiredService<IMailTransport>().Destination;
        await context.Stdout.WriteLineAsync($"{run.Sent} sent, {run.Retrying} kept queued for retry, {run.Failed} failed permanently ({destination}).");
        if (run.LastError is not null)
            await context.Stderr.WriteLineAsync($"error: {run.LastError}");
        if (run.LoginRefused)
            return ExitCodes.Config;
        if (run.Unreachable)
            return ExitCodes.Unavailable;
        return run.Retrying + run.Failed > 0 ? ExitCodes.FindingsWithErrors : ExitCodes.Ok;
    }

    private static async Task<int> ListAsync(CliContext context, CliHost host, bool all, CancellationToken ct)
    {
        await using var db = await host.Services.GetRequiredService<IDbContextFactory<MonitorDbContext>>().CreateDbContextAsync(ct);
        var messages = await db.Outbox.AsNoTracking()
            .Where(m => all || m.Status != OutboxStatus.Sent)
            .OrderByDescending(m => m.CreatedAt)
            .Take(200)
            .Select(m => new { m.Status, m.Kind, m.CreatedAt, m.AttemptCount, m.NextAttemptAt, m.Recipients, m.Subject, m.LastError, m.Channel, m.MessageId })
            .ToListAsync(ct);
        if (messages.Count == 0)
        {
            await context.Stdout.WriteLineAsync(all ? "The outbox is empty." : "No queued or failed mail.");
            return ExitCodes.Ok;
        }
        await context.Stdout.WriteLineAsync($"{"STATUS",-8}  {"KIND",-10}  {"QUEUED",-20}  {"TRIES",5}  {"NEXT TRY",-20}  TO / SUBJECT");
        foreach (var m in messages)
        {
            var next = m.Status == OutboxStatus.Queued ? Time(m.NextAttemptAt) : "";
            await context.Stdout.WriteLineAsync(
                $"{m.Status,-8}  {m.Kind,-10}  {Time(m.CreatedAt),-20}  {m.AttemptCount,5}  {next,-20}  "
                + (m.Channel == OutboxChannels.Mail ? string.Join(", ", m.Recipients) : $"{m.Channel} channel, event {m.MessageId}"));
            await context.Stdout.WriteLineAsync($"    {TextSafe(m.Subject)}");
            if (m.LastError is not null)
                await context.Stdout.WriteLineAsync($"    last error: {TextSafe(m.LastError)}");
        }
        return ExitCodes.Ok;
    }

    private static string Time(DateTimeOffset time) => time.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);

    private static string TextSafe(string text) => Output.TextReportWriter.Safe(text);
}
