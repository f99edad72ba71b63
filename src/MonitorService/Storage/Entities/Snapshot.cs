namespace MonitorService.Storage.Entities;

/// <summary>
/// A content-addressed piece of what a check saw (an MX set, TXT records, a policy body with its response, ...).
/// Stored once per distinct content across all domains: unchanged checks write no snapshot rows.
/// </summary>
public sealed class Snapshot
{
    public long Id { get; set; }
    /// <summary>One of <see cref="SnapshotKinds"/>.</summary>
    public required string Kind { get; set; }
    /// <summary>SHA-256 of <see cref="Content"/>, lower-case hex.</summary>
    public required string Hash { get; set; }
    /// <summary>Canonical JSON.</summary>
    public required string Content { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

public static class SnapshotKinds
{
    public const string Mx = "mx";
    public const string Txt = "txt";
    public const string Policy = "policy";
    public const string TlsRpt = "tlsrpt";
    public const string Certificates = "certificates";
    /// <summary>The whole report without per-check noise (time, latency): what the dashboard shows as "latest".</summary>
    public const string Report = "report";
}
