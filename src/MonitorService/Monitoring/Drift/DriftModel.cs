using MonitorService.Checks.Model;

namespace MonitorService.Monitoring.Drift;

/// <summary>
/// One policy body as served over HTTPS, with what the parser made of it. Two versions are the same body when their
/// text is equal after CRLF is normalised to LF (senders parse both line endings identically, RFC 8461 §3.2).
/// </summary>
public sealed record PolicyVersion(string Body, StsMode? Mode, long? MaxAge, IReadOnlyList<string> Mx, bool IsUsable)
{
    /// <summary>Builds a version from the raw body and the parser's result.</summary>
    public static PolicyVersion From(string body, StsPolicy parsed) =>
        new(body, parsed.Mode, parsed.MaxAge, parsed.Mx, parsed.IsUsable);

    /// <summary>Whether <paramref name="other"/> is the same body (line endings aside).</summary>
    public bool SameBody(PolicyVersion other) => BodyKey(Body) == BodyKey(other.Body);

    /// <summary>Whether this policy is one senders enforce or report on (usable, mode enforce or testing).</summary>
    internal bool Applies => IsUsable && Mode is StsMode.Enforce or StsMode.Testing;

    /// <summary>Whether senders that cached this policy refuse delivery to hosts it does not cover.</summary>
    internal bool Enforces => IsUsable && Mode == StsMode.Enforce;

    private static string BodyKey(string body) => body.Replace("\r\n", "\n", StringComparison.Ordinal);
}

/// <summary>
/// What one check established; null members = not known in this check (lookup or fetch failed), NOT "absent".
/// </summary>
/// <param name="MxHosts">Normalised MX host names; null = MX lookup failed. Empty or "." entries (null MX) are ignored.</param>
/// <param name="TxtKnown">False when the <c>_mta-sts</c> TXT lookup failed.</param>
/// <param name="TxtId">The id of the one valid record; null = no valid record (only meaningful when <paramref name="TxtKnown"/>).</param>
/// <param name="Policy">The policy served in this check (HTTP 200 and parsed); null when not fetched.</param>
/// <param name="PolicyFetchFailed">The fetch was attempted and failed (unreachable, bad certificate, non-200).</param>
/// <param name="Dane">DANE per MX host whose TLSA lookup answered; null = not known (the MX lookup failed).</param>
public sealed record DomainState(
    IReadOnlyList<string>? MxHosts,
    bool TxtKnown,
    string? TxtId,
    PolicyVersion? Policy,
    bool PolicyFetchFailed,
    IReadOnlyList<DaneHostState>? Dane = null)
{
    /// <summary>
    /// The <c>_mta-sts</c> id each authoritative server address served when asked directly; null when the name servers
    /// were not asked (or for a state read back from the store, which drift only uses as "previous").
    /// </summary>
    public IReadOnlyList<ServedTxtId>? NameServerIds { get; init; }
}

/// <summary>The id one address of one authoritative server served (null: no valid MTA-STS record), with its SOA serial.</summary>
public sealed record ServedTxtId(string Server, string Address, uint? Serial, string? Id);

/// <summary>
/// One distinct policy body as senders could have fetched it, with the TXT id it was (last) served under and when it
/// was seen. The caller starts a new observation when the body or the id changes, and moves <see cref="LastSeen"/>
/// forward on every check that fetches the same body under the same id.
/// </summary>
public sealed record PolicyObservation(PolicyVersion Policy, string? TxtId, DateTimeOffset FirstSeen, DateTimeOffset LastSeen);

/// <summary>A drift event: a change between two checks, or a risk that only the history reveals.</summary>
/// <param name="Code">One of <see cref="DriftCodes"/>.</param>
/// <param name="Subject">The host or id concerned, or null when the event is about the whole domain.</param>
/// <param name="Message">What changed, why it matters and what to do, naming hosts and times.</param>
/// <param name="Until">When the risk ends by itself at the latest (a sender cache running out), if it does.</param>
/// <param name="Fix">The exact change that resolves it, when there is one (also written in the message).</param>
public sealed record DriftEvent(string Code, Severity Severity, string? Subject, string Message, DateTimeOffset? Until, string? Fix = null);

/// <summary>The input of <see cref="DriftDetector.Detect"/>.</summary>
/// <param name="Domain">The policy domain (normalised).</param>
/// <param name="Previous">
/// The last known values, or null on the first check. Per part, pass the value from the most recent check in which
/// that part was known (a failed lookup does not overwrite it).
/// </param>
/// <param name="Current">What this check established.</param>
/// <param name="PolicyHistory">
/// Every earlier observation, oldest first; may include the current body's observation (one whose
/// <see cref="PolicyObservation.LastSeen"/> is <paramref name="Now"/> is treated as this check's).
/// </param>
/// <param name="ConsecutivePolicyFetchFailures">Consecutive failed fetches, including this check.</param>
/// <param name="FailureThreshold">After how many consecutive failures to alert (<see cref="DefaultFailureThreshold"/>).</param>
/// <param name="Now">The time of this check.</param>
public sealed record DriftInput(
    string Domain,
    DomainState? Previous,
    DomainState Current,
    IReadOnlyList<PolicyObservation> PolicyHistory,
    int ConsecutivePolicyFetchFailures,
    int FailureThreshold,
    DateTimeOffset Now)
{
    public const int DefaultFailureThreshold = 3;
}

/// <summary>An earlier policy senders may still hold, and until when (RFC 8461 §3.2: max_age from the last fetch).</summary>
public sealed record CachedPolicyWindow(PolicyObservation Observation, DateTimeOffset Until);
