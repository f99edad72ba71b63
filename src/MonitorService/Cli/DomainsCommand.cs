using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using MonitorService.Checks.Model;
using MonitorService.Domains;
using MonitorService.Monitoring;
using MonitorService.Output;
using MonitorService.Storage;
using MonitorService.TlsRpt.Views;

namespace MonitorService.Cli;

/// <summary><c>MonitorService domains add|remove|list|check|events|plan...</c>: manage and inspect monitored domains.</summary>
public static class DomainsCommand
{
    public static readonly string Usage = $"""
        Usage:
          MonitorService domains add DOMAIN [--team NAME] [--interval 1h] [--recipients a@x,b@y]
          MonitorService domains remove DOMAIN [--team NAME]
          MonitorService domains list [--team NAME] [--format text|json]
          MonitorService domains check DOMAIN [--team NAME] [--format text|json]   one monitored check now
          MonitorService domains events DOMAIN [--team NAME] [--format text|json] [--limit N]   drift events, newest first
          MonitorService domains tlsrpt DOMAIN [--team NAME] [--days N] [--format text|json]   what senders reported (TLS-RPT), last N days (30; at most 366)
        {PlanCommands.Usage}

        Intervals: 90s, 30m, 1h, 1d (at least 5 minutes). The running service picks up changes within a minute.
        """;

    public static async Task<int> RunAsync(CliContext context, IReadOnlyList<string> args, CancellationToken ct)
    {
        if (args.Count == 0 || args[0] is "--help" or "-h" or "help")
        {
            await context.Stdout.WriteLineAsync(Usage);
            return args.Count == 0 ? ExitCodes.Usage : ExitCodes.Ok;
        }
        var verb = args[0];
        if (PlanCommands.Handles(verb))
            return await PlanCommands.RunAsync(context, verb, args.Skip(1).ToList(), ct);
        var parsed = Parse(verb, args.Skip(1).ToList());
        await using var host = await context.StartHostAsync(ct);
        var registry = host.Services.GetRequiredService<DomainRegistry>();
        try
        {
            return verb switch
            {
                "add" => await AddAsync(context, registry, parsed, ct),
                "remove" => await RemoveAsync(context, registry, parsed, ct),
                "list" => await ListAsync(context, registry, parsed, ct),
                "check" => await CheckAsync(context, host, registry, parsed, ct),
                "tlsrpt" => await TlsRptAsync(context, host, registry, parsed, ct),
                _ => await EventsAsync(context, host, registry, parsed, ct),
            };
        }
        catch (DomainRequestException e)
        {
            await context.Stderr.WriteLineAsync($"error: {e.Message}");
            return ExitCodes.Usage;
        }
    }

    private sealed record Arguments(string? Domain, string? Team, TimeSpan? Interval, IReadOnlyList<string>? Recipients, string Format, int Limit, int Days = 30);

    private static Arguments Parse(string verb, IReadOnlyList<string> args)
    {
        if (verb is not ("add" or "remove" or "list" or "check" or "events" or "tlsrpt"))
            throw new UsageException($"Unknown domains command '{verb}'.\n\n{Usage}");
        string? domain = null, team = null;
        TimeSpan? interval = null;
        IReadOnlyList<string>? recipients = null;
        var format = "text";
        var limit = 50;
        var days = 30;
        var reader = new ArgumentReader(args);
        while (reader.TryNext(out var arg, out var inline))
        {
            switch (arg)
            {
                case "--team":
                    team = reader.Value(arg, inline);
                    break;
                case "--interval" when verb == "add":
                    var text = reader.Value(arg, inline);
                    interval = DurationParser.TryParse(text, out var every) ? every : throw new UsageException($"--interval must be a duration such as 30m, 1h or 1d, not '{text}'.");
                    break;
                case "--recipients" when verb == "add":
                    recipients = reader.Value(arg, inline).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
                    break;
                case "--format" when verb is "list" or "check" or "events" or "tlsrpt":
                    format = reader.Value(arg, inline);
                    if (format is not ("text" or "json"))
                        throw new UsageException($"--format must be text or json, not '{format}'.");
                    break;
                case "--limit" when verb == "events":
                    limit = reader.IntValue(arg, inline, 1, 10000);
                    break;
                case "--days" when verb == "tlsrpt":
                    days = reader.IntValue(arg, inline, 1, TlsRptRange.MaxDays);
                    break;
                case var option when option.StartsWith('-'):
                    throw new UsageException($"Unknown option '{option}' for domains {verb}.");
                default:
                    if (verb == "list" || domain is not null)
                        throw new UsageException($"Unexpected argument '{arg}' for domains {verb}.");
                    domain = arg;
                    break;
            }
        }
        if (verb != "list" && domain is null)
            throw new UsageException($"Name the domain: MonitorService domains {verb} example.com");
        return new Arguments(domain, team, interval, recipients, format, limit, days);
    }

    private static async Task<int> AddAsync(CliContext context, DomainRegistry registry, Arguments a, CancellationToken ct)
    {
        var domain = await registry.AddAsync(a.Domain!, a.Team, a.Interval, a.Recipients, ct);
        await context.Stdout.WriteLineAsync(
            $"Added {domain.Name} (team {a.Team ?? DomainRegistry.DefaultTeam}, checked every {DurationParser.Format(TimeSpan.FromSeconds(domain.IntervalSeconds))}" +
            $"{(domain.Recipients.Count > 0 ? $", alerts to {string.Join(", ", domain.Recipients)}" : "")}).");
        return ExitCodes.Ok;
    }

    private static async Task<int> RemoveAsync(CliContext context, DomainRegistry registry, Arguments a, CancellationToken ct)
    {
        var domain = await registry.GetAsync(a.Domain!, a.Team, ct);
        await registry.RemoveAsync(domain.Id, ct);
        await context.Stdout.WriteLineAsync($"Removed {domain.Name} (team {domain.Team!.Name}) and its history.");
        return ExitCodes.Ok;
    }

    private static async Task<int> ListAsync(CliContext context, DomainRegistry registry, Arguments a, CancellationToken ct)
    {
        var domains = await registry.ListAsync(a.Team, ct);
        if (a.Format == "json")
        {
            await context.Stdout.WriteLineAsync(JsonSerializer.Serialize(domains.Select(d => new
            {
                domain = d.Name, team = d.Team!.Name, status = d.Status, intervalSeconds = d.IntervalSeconds, enabled = d.Enabled,
                recipients = d.Recipients, lastCheckedAt = d.LastCheckedAt,
            }), ReportJson.Options));
            return ExitCodes.Ok;
        }
        if (domains.Count == 0)
        {
            await context.Stdout.WriteLineAsync("No domains registered. Add one with: MonitorService domains add example.com");
            return ExitCodes.Ok;
        }
        var width = Math.Max(6, domains.Max(d => d.Name.Length));
        await context.Stdout.WriteLineAsync($"{"DOMAIN".PadRight(width)}  {"TEAM",-16}  {"STATUS",-8}  {"EVERY",-6}  LAST CHECK");
        foreach (var d in domains)
            await context.Stdout.WriteLineAsync(
                $"{d.Name.PadRight(width)}  {Truncate(d.Team!.Name, 16),-16}  {(d.Enabled ? d.Status : "disabled"),-8}  {DurationParser.Format(TimeSpan.FromSeconds(d.IntervalSeconds)),-6}  " +
                (d.LastCheckedAt is { } at ? at.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture) : "never"));
        return ExitCodes.Ok;
    }

    private static async Task<int> CheckAsync(CliContext context, CliHost host, DomainRegistry registry, Arguments a, CancellationToken ct)
    {
        var domain = await registry.GetAsync(a.Domain!, a.Team, ct);
        var result = await host.Services.GetRequiredService<DomainCheckRunner>().CheckAsync(domain.Id, CheckTrigger.Manual, ct)
            ?? throw new DomainRequestException(DomainError.NotFound, $"{domain.Name} was removed while it was being checked.");
        if (a.Format == "json")
        {
            await context.Stdout.WriteLineAsync(JsonSerializer.Serialize(new
            {
                domain = result.Domain,
                report = result.Report,
                events = result.Events.Select(e => new { code = e.Code, severity = e.Severity, subject = e.Subject, message = e.Message, until = e.Until, fix = e.Fix }),
            }, ReportJson.Options));
        }
        else
        {
            new TextReportWriter(context.Stdout, Colours.Enabled(context.Stdout)).Write(result.Report);
            if (result.Events.Count > 0)
                await context.Stdout.WriteLineAsync("Drift since the previous check:");
            foreach (var e in result.Events)
            {
                await context.Stdout.WriteLineAsync($"  {e.Severity.Name(),-7}  {e.Code}{(e.Subject is null ? "" : $"  {TextReportWriter.Safe(e.Subject)}")}");
                await context.Stdout.WriteLineAsync($"    {TextReportWriter.Safe(e.Message)}");
            }
        }
        return result.Report.HasErrors || result.Events.Any(e => e.Severity == Checks.Model.Severity.Error) ? ExitCodes.FindingsWithErrors : ExitCodes.Ok;
    }

    /// <summary>The same summary as <c>GET /api/v1/domains/{id}/tlsrpt</c>; the text form is for a quick look.</summary>
    private static async Task<int> TlsRptAsync(CliContext context, CliHost host, DomainRegistry registry, Arguments a, CancellationToken ct)
    {
        var domain = await registry.GetAsync(a.Domain!, a.Team, ct);
        var range = TlsRptRange.Last(a.Days, host.Services.GetRequiredService<TimeProvider>().GetUtcNow());
        var summary = await host.Services.GetRequiredService<TlsRptQueries>().SummaryAsync(domain, range, ct);
        if (a.Format == "json")
        {
            await context.Stdout.WriteLineAsync(JsonSerializer.Serialize(summary, ReportJson.Options));
            return ExitCodes.Ok;
        }
        long ok = summary.Days.Sum(d => d.Successful), failed = summary.Days.Sum(d => d.Failed);
        await context.Stdout.WriteLineAsync($"{domain.Name}: {summary.Reports} report(s) for {summary.From:yyyy-MM-dd} to {summary.To:yyyy-MM-dd}, {ok} successful and {failed} failed session(s).");
        foreach (var o in summary.Organizations)
            await context.Stdout.WriteLineAsync($"  {TextReportWriter.Safe(o.Name),-40}  {o.Successful,10} ok  {o.Failed,8} failed");
        foreach (var f in summary.Failures)
            await context.Stdout.WriteLineAsync($"  {f.Sessions,8}  {TextReportWriter.Safe(f.ResultType)}  {TextReportWriter.Safe(f.Organization)}  {TextReportWriter.Safe(f.ReceivingMx ?? "-")}  {f.ExplainedBy ?? "unexplained"}");
        await context.Stdout.WriteLineAsync(await ReportAddressesAsync(host, domain, ct));
        return ExitCodes.Ok;
    }

    /// <summary>Where the team's reports must be sent for it to see them (the CLI's counterpart of the page's setup help).</summary>
    private static async Task<string> ReportAddressesAsync(CliHost host, Storage.Entities.MonitoredDomain domain, CancellationToken ct)
    {
        var addressing = await host.Services.GetRequiredService<TlsRptQueries>().AddressingAsync(domain, ct);
        var addresses = host.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<TlsRptAddressOptions>>().Value.For(addressing.TeamKey);
        var where = addresses.Team.Count > 0
            ? $"This team's report addresses (rua=): {string.Join(",", addresses.Team)}"
            : $"This team's report key is {addressing.TeamKey}: set TlsRpt:PublicUrl or TlsRpt:MailboxAddress to have its addresses named (PublicUrl/KEY, local+KEY@domain).";
        return addressing.SharedAddressShown
            ? where
            : where + "\nAnother team has registered this domain too: reports at the shared address are shown to neither team, only those at a team's own address.";
    }

    private static async Task<int> EventsAsync(CliContext context, CliHost host, DomainRegistry registry, Arguments a, CancellationToken ct)
    {
        var domain = await registry.GetAsync(a.Domain!, a.Team, ct);
        var factory = host.Services.GetRequiredService<IDbContextFactory<MonitorDbContext>>();
        await using var db = await factory.CreateDbContextAsync(ct);
        var events = await db.DriftEvents.AsNoTracking()
            .Where(e => e.DomainId == domain.Id)
            .OrderByDescending(e => e.DetectedAt).ThenByDescending(e => e.Id)
            .Take(a.Limit)
            .ToListAsync(ct);
        if (a.Format == "json")
        {
            await context.Stdout.WriteLineAsync(JsonSerializer.Serialize(events.Select(e => new
            {
                code = e.Code, severity = e.Severity, subject = e.Subject, message = e.Message, until = e.Until, fix = e.Fix, detectedAt = e.DetectedAt,
            }), ReportJson.Options));
            return ExitCodes.Ok;
        }
        if (events.Count == 0)
        {
            await context.Stdout.WriteLineAsync($"No drift events for {domain.Name} yet.");
            return ExitCodes.Ok;
        }
        foreach (var e in events)
        {
            await context.Stdout.WriteLineAsync($"{e.DetectedAt:yyyy-MM-dd HH:mm} UTC  {e.Severity,-7}  {e.Code}{(e.Subject is null ? "" : $"  {TextReportWriter.Safe(e.Subject)}")}");
            await context.Stdout.WriteLineAsync($"    {TextReportWriter.Safe(e.Message)}");
        }
        return ExitCodes.Ok;
    }

    private static string Truncate(string text, int length) => text.Length <= length ? text : text[..(length - 1)] + "…";
}
