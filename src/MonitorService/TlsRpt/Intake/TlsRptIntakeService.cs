using Microsoft.Extensions.Options;
using MimeKit;
using MonitorService.Observability;
using MonitorService.Storage.Entities;
using MonitorService.TlsRpt.Parsing;

namespace MonitorService.TlsRpt.Intake;

/// <summary>
/// The one ingestion path behind every intake: gzip (by its magic bytes) inflated under TlsRpt:MaxReportBytes, the
/// report parsed, the policies about registered domains kept, the report stored once. A report with several
/// policies is stored with only its policies about registered domains (the others are strangers' data: not kept);
/// none of ours → NotOurs, nothing stored. What cannot be parsed goes to tlsrpt_rejected with the reason.
/// </summary>
public sealed partial class TlsRptIntakeService(
    TlsRptStore store,
    IOptions<TlsRptIntakeOptions> options,
    MonitorMetrics metrics,
    TimeProvider time,
    ILogger<TlsRptIntakeService> logger) : ITlsRptIntake
{
    public async Task<TlsRptIntakeResult> AcceptReportAsync(ReadOnlyMemory<byte> body, TlsRptOrigin origin, CancellationToken cancellationToken)
    {
        var route = await RouteAsync(origin, new HashSet<string>(), cancellationToken);
        var result = route is null ? UnknownAddress(origin) : await IngestAsync(body, origin, route, cancellationToken);
        Record(origin, result);
        return result;
    }

    /// <summary>
    /// The teams whose own address received it: the origin's key (null when no team has it: the sender used an
    /// address that does not exist) and the keys the message was addressed to (unknown ones ignored: the message did
    /// reach our mailbox). None: the shared address.
    /// </summary>
    private async Task<TlsRptRoute?> RouteAsync(TlsRptOrigin origin, IReadOnlySet<string> recipientKeys, CancellationToken ct)
    {
        if (origin.TeamKey?.ToLowerInvariant() is { } key)
        {
            // Hex in any case: a record copied by hand may have upper-cased it.
            var owner = TlsRptKeys.IsWellFormed(key) ? await store.TeamsOfKeysAsync([key], ct) : [];
            if (owner.Count == 0)
                return null;
            return new TlsRptRoute([.. owner, .. await store.TeamsOfKeysAsync(recipientKeys.Where(k => k != key).ToList(), ct)]);
        }
        return new TlsRptRoute(await store.TeamsOfKeysAsync(recipientKeys.ToList(), ct));
    }

    private static TlsRptIntakeResult UnknownAddress(TlsRptOrigin origin) =>
        new(TlsRptIntakeOutcome.UnknownAddress, $"No team has the report address key '{TlsRptText.Clean(origin.TeamKey, 64, out _)}'.");

    public async Task<TlsRptIntakeResult> AcceptMessageAsync(MimeMessage message, TlsRptOrigin origin, CancellationToken cancellationToken)
    {
        var parts = TlsRptMessageParts.Find(message);
        if (parts.Count == 0)
        {
            var none = new TlsRptIntakeResult(TlsRptIntakeOutcome.NoReport, "The message has no TLS-RPT report part (application/tlsrpt+gzip or +json, or a .json / .json.gz attachment).");
            Record(origin, none);
            return none;
        }
        var route = await RouteAsync(origin, TlsRptRecipientKeys.Find(message), cancellationToken);
        if (route is null)
        {
            var unknown = UnknownAddress(origin);
            Record(origin, unknown);
            return unknown;
        }
        var results = new List<TlsRptIntakeResult>();
        foreach (var part in parts)
        {
            var partOrigin = origin with { Detail = string.Join(' ', new[] { origin.Detail, part.FileName }.Where(s => !string.IsNullOrEmpty(s))) };
            var bytes = await TlsRptMessageParts.DecodeAsync(part, options.Value.MaxReportBytes, cancellationToken);
            TlsRptIntakeResult result;
            if (bytes is null)
            {
                var reason = $"The report part is larger than {options.Value.MaxReportBytes} bytes (TlsRpt:MaxReportBytes).";
                await store.StoreRejectedAsync(System.Text.Encoding.UTF8.GetBytes($"{reason}\nMessage-Id: {message.MessageId}\nPart: {part.FileName}"),
                    reason, partOrigin, time.GetUtcNow(), options.Value.MaxRejectedBytes, cancellationToken);
                result = new TlsRptIntakeResult(TlsRptIntakeOutcome.Invalid, reason);
            }
            else
            {
                result = await IngestAsync(bytes, partOrigin, route, cancellationToken);
            }
            Record(partOrigin, result);
            results.Add(result);
        }
        return Combine(results);
    }

    /// <summary>One message, one answer: invalid if any part was (the mailbox moves it aside), else stored if any part was.</summary>
    private static TlsRptIntakeResult Combine(List<TlsRptIntakeResult> results) =>
        results.Count == 1 ? results[0]
        : results.FirstOrDefault(r => r.Outcome == TlsRptIntakeOutcome.Invalid)
          ?? results.FirstOrDefault(r => r.Outcome == TlsRptIntakeOutcome.Stored)
          ?? results.FirstOrDefault(r => r.Outcome == TlsRptIntakeOutcome.Duplicate)
          ?? results[0];

    private async Task<TlsRptIntakeResult> IngestAsync(ReadOnlyMemory<byte> body, TlsRptOrigin origin, TlsRptRoute route, CancellationToken ct)
    {
        var settings = options.Value;
        var receivedAt = time.GetUtcNow();
        var json = body;
        if (BoundedGzip.IsGzip(body.Span))
        {
            var inflated = BoundedGzip.Inflate(body, settings.MaxReportBytes, out _, out var gzipError);
            if (inflated is null)
                return await RejectAsync(body, gzipError!, origin, receivedAt, ct);
            json = inflated;
        }
        else if (body.Length > settings.MaxReportBytes)
        {
            return await RejectAsync(body, $"The report is larger than {settings.MaxReportBytes} bytes (TlsRpt:MaxReportBytes).", origin, receivedAt, ct);
        }

        var parsed = TlsRptReportParser.Parse(json);
        if (parsed.Report is not { } report)
        {
            // A cut-off gzip stream inflates to a cut-off report without an error from GZipStream: say it was gzip.
            var reason = json.Length == body.Length && !BoundedGzip.IsGzip(body.Span) ? parsed.Error! : $"After gzip: {parsed.Error}";
            return await RejectAsync(body, reason, origin, receivedAt, ct);
        }

        var candidates = report.Policies.SelectMany(TlsRptOwnership.Candidates).ToHashSet(StringComparer.Ordinal);
        var registrations = await store.RegistrationsAsync(candidates, ct);
        var registered = registrations.Select(r => r.Name).ToHashSet(StringComparer.Ordinal);
        var ours = report.Policies.Where(p => TlsRptOwnership.IsOurs(p, registered)).ToList();
        foreach (var policy in ours)
            policy.DomainName = TlsRptOwnership.OwnerOf(policy, registered);
        var domains = string.Join(", ", report.Policies.Select(p => p.PolicyDomain ?? "(none)").Distinct().Take(5));
        if (ours.Count == 0)
        {
            return new TlsRptIntakeResult(TlsRptIntakeOutcome.NotOurs,
                $"No policy in report {report.ReportId} of {report.OrganizationName} is about a registered domain (policy domains: {(domains.Length == 0 ? "none" : domains)}).");
        }
        // A team address takes reports about that team's domains only: it is no back door for anyone else's.
        var teamNames = registrations.Where(r => route.Teams.Contains(r.TeamId)).Select(r => r.Name).ToHashSet(StringComparer.Ordinal);
        if (!route.Shared && !ours.Any(p => TlsRptOwnership.IsOurs(p, teamNames)))
        {
            return new TlsRptIntakeResult(TlsRptIntakeOutcome.NotOurs,
                $"No policy in report {report.ReportId} of {report.OrganizationName} is about a domain registered by the team whose report address received it (policy domains: {(domains.Length == 0 ? "none" : domains)}).");
        }
        var (id, otherContents) = await store.StoreAsync(report, ours, json, origin, route, receivedAt, ct);
        if (id is null)
            return new TlsRptIntakeResult(TlsRptIntakeOutcome.Duplicate, $"Report {report.ReportId} of {report.OrganizationName} was stored before.");
        if (otherContents > 0)
            LogSameIdOtherContent(report.OrganizationName, report.ReportId, otherContents, origin.Source, origin.Detail);
        var skipped = report.Policies.Count - ours.Count;
        LogStored(report.OrganizationName, report.ReportId, report.ReportDay, ours.Count, skipped, origin.Source, id.Value);
        var said = new List<string>();
        if (otherContents > 0)
            said.Add($"A report with the same organisation and report-id but other content was received before; both are kept (one of them may be forged).");
        if (skipped > 0)
            said.Add($"{skipped} policies about domains not registered here were left out.");
        said.AddRange(report.Notes);
        if (report.Notes.Count > 0)
            LogNotes(report.OrganizationName, report.ReportId, string.Join(" ", report.Notes));
        return new TlsRptIntakeResult(TlsRptIntakeOutcome.Stored, said.Count == 0 ? null : string.Join(" ", said), id);
    }

    private async Task<TlsRptIntakeResult> RejectAsync(ReadOnlyMemory<byte> body, string reason, TlsRptOrigin origin, DateTimeOffset receivedAt, CancellationToken ct)
    {
        await store.StoreRejectedAsync(body, reason, origin, receivedAt, options.Value.MaxRejectedBytes, ct);
        return new TlsRptIntakeResult(TlsRptIntakeOutcome.Invalid, reason);
    }

    private void Record(TlsRptOrigin origin, TlsRptIntakeResult result)
    {
        metrics.TlsRptReceived(origin.Source, result.Outcome.ToString());
        if (result.Outcome is not TlsRptIntakeOutcome.Stored)
            LogOutcome(result.Outcome, origin.Source, origin.Detail, result.Reason);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "TLS-RPT report {ReportId} of {Organization} for {ReportDay} stored as {StoredReportId} from {Source}: {Policies} policies kept, {Skipped} about other domains left out")]
    private partial void LogStored(string organization, string reportId, DateOnly reportDay, int policies, int skipped, string source, long storedReportId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "TLS-RPT report {ReportId} of {Organization} from {Source} {SourceDetail} differs from {OtherContents} stored report(s) with the same organisation and report-id: both kept, one may be forged")]
    private partial void LogSameIdOtherContent(string organization, string reportId, int otherContents, string source, string? sourceDetail);

    [LoggerMessage(Level = LogLevel.Information, Message = "TLS-RPT report {ReportId} of {Organization} was read with notes: {Notes}")]
    private partial void LogNotes(string organization, string reportId, string notes);

    [LoggerMessage(Level = LogLevel.Warning, Message = "TLS-RPT intake {Outcome} from {Source} {SourceDetail}: {Reason}")]
    private partial void LogOutcome(TlsRptIntakeOutcome outcome, string source, string? sourceDetail, string? reason);
}
