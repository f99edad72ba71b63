namespace MonitorService.Storage.Entities;

/// <summary>
/// One stretch of a domain's timeline during which every check saw the same state (the same snapshots). Written when
/// the state changes: a check that sees nothing new writes only the domain row (<see cref="MonitoredDomain.LastCheckedAt"/>
/// and <see cref="MonitoredDomain.CurrentObservationChecks"/>), which is where the current observation's end lives
/// until the next change closes it. Read its end through <see cref="ObservationSpan"/>.
/// </summary>
public sealed class Observation
{
    public long Id { get; set; }
    public Guid DomainId { get; set; }
    public DateTimeOffset FirstSeenAt { get; set; }
    /// <summary>The last check in this state; null while this is the domain's current observation (still open).</summary>
    public DateTimeOffset? LastSeenAt { get; set; }
    /// <summary>How many checks saw this state; null while open (the domain row counts them).</summary>
    public int? CheckCount { get; set; }

    /// <summary>Hash over all snapshot hashes: equal state, equal hash.</summary>
    public required string StateHash { get; set; }

    /// <summary>Null when the MX lookup failed in these checks.</summary>
    public long? MxSnapshotId { get; set; }
    /// <summary>Null when the TXT lookup failed.</summary>
    public long? TxtSnapshotId { get; set; }
    /// <summary>The id of the one valid <c>v=STSv1</c> record, if any.</summary>
    public string? TxtId { get; set; }
    /// <summary>The policy response (body and metadata), when one was received.</summary>
    public long? PolicySnapshotId { get; set; }
    /// <summary>True when senders could have fetched that policy: HTTP 200, valid certificate, within the size limit.</summary>
    public bool PolicyValid { get; set; }
    public bool PolicyFetchFailed { get; set; }
    public long? TlsRptSnapshotId { get; set; }
    public long? CertificatesSnapshotId { get; set; }
    public long ReportSnapshotId { get; set; }
}
