using MonitorService.Storage.Entities;

namespace MonitorService.TlsRpt.Parsing;

/// <summary>
/// A report as parsed: every string cleaned and capped to its column, the day it covers, and its policies as they
/// will be stored (all of them; the intake keeps the ones about registered domains). <see cref="Notes"/> says what
/// was tolerated or cut, in words.
/// </summary>
public sealed record ParsedTlsRptReport(
    string OrganizationName,
    string ReportId,
    string? ContactInfo,
    DateTimeOffset StartAt,
    DateTimeOffset EndAt,
    DateOnly ReportDay,
    IReadOnlyList<TlsRptPolicy> Policies,
    IReadOnlyList<string> Notes);

/// <summary>Either a report or the reason it is not one.</summary>
public sealed record TlsRptParseResult(ParsedTlsRptReport? Report, string? Error)
{
    public static TlsRptParseResult Ok(ParsedTlsRptReport report) => new(report, null);
    public static TlsRptParseResult Invalid(string error) => new(null, error);
}
