using MonitorService.Checks.Dns;

namespace MonitorService.Checks.Dnssec;

/// <summary>What validation concluded about one RRset, one denial, or a whole answer, with the reason in words.</summary>
public sealed record DnssecVerdict(DnssecStatus Status, string? Reason)
{
    public static readonly DnssecVerdict Secure = new(DnssecStatus.Secure, null);

    public static DnssecVerdict Insecure(string reason) => new(DnssecStatus.Insecure, reason);
    public static DnssecVerdict Bogus(string reason) => new(DnssecStatus.Bogus, reason);
    public static DnssecVerdict Indeterminate(string reason) => new(DnssecStatus.Indeterminate, reason);

    /// <summary>The verdict of an answer built of several parts (a CNAME chain, A and AAAA): the worst part decides.</summary>
    public static DnssecVerdict Worst(IEnumerable<DnssecVerdict> verdicts) =>
        verdicts.OrderByDescending(v => Rank(v.Status)).FirstOrDefault() ?? Secure;

    private static int Rank(DnssecStatus status) => status switch
    {
        DnssecStatus.Bogus => 4,
        DnssecStatus.Indeterminate => 3,
        DnssecStatus.Insecure => 2,
        DnssecStatus.Secure => 1,
        _ => 0,
    };
}

/// <summary>Reasons that the report tells apart from other bogus answers: an expired signature has its own finding.</summary>
public static class DnssecReasons
{
    private const string ExpiredPrefix = "expired signature: ";

    public static string Expired(string detail) => ExpiredPrefix + detail;

    /// <summary>The reason without the marker that tells expiries apart.</summary>
    public static string Detail(string? reason) => reason is null ? "" : IsExpiry(reason) ? reason[ExpiredPrefix.Length..] : reason;

    public static bool IsExpiry(string? reason) => reason?.StartsWith(ExpiredPrefix, StringComparison.Ordinal) == true;
}
