namespace MonitorService.Web.Queries;

/// <summary>A stretch of the timeline with the same state, as shown and served by the API.</summary>
public sealed record ObservationView(
    long Id, DateTimeOffset FirstSeenAt, DateTimeOffset LastSeenAt, int CheckCount, string Status, string? TxtId, bool PolicyValid, bool PolicyFetchFailed,
    long? MxSnapshotId, long? TxtSnapshotId, long? PolicySnapshotId, long? TlsRptSnapshotId, long? CertificatesSnapshotId, long ReportSnapshotId);

/// <summary>A distinct stored value of one part (a policy body, an MX set) with when it was seen.</summary>
public sealed record VersionView(long SnapshotId, DateTimeOffset FirstSeenAt, DateTimeOffset LastSeenAt, string? TxtId, string Text);

public sealed record EventView(long Id, string Code, string Severity, string? Subject, string Message, string? Fix, DateTimeOffset? Until, DateTimeOffset DetectedAt, long? FromObservationId, long ToObservationId);

public sealed record IncidentView(long Id, string Code, string Severity, string? Subject, string Message, string? Fix, DateTimeOffset FirstSeenAt, DateTimeOffset LastSeenAt, DateTimeOffset? OpenedAt, DateTimeOffset? ClosedAt);

/// <summary>"Senders may hold the policy first seen <see cref="FirstSeenAt"/> until <see cref="Until"/>."</summary>
public sealed record CacheWindowView(DateTimeOffset FirstSeenAt, DateTimeOffset LastSeenAt, string? TxtId, string? Mode, DateTimeOffset Until, bool Current);
