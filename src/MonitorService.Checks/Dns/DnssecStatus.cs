namespace MonitorService.Checks.Dns;

/// <summary>
/// What DNSSEC says about an answer, as validated by the engine itself from its trust anchor (RFC 4035 §4.3);
/// a resolver's AD bit is never trusted.
/// </summary>
public enum DnssecStatus
{
    /// <summary>No validation was attempted (a resolver without a validator).</summary>
    NotValidated,
    /// <summary>A chain of signatures from the trust anchor covers the answer (or its proven absence).</summary>
    Secure,
    /// <summary>Provably unsigned: a delegation on the way has no DS (an insecure delegation).</summary>
    Insecure,
    /// <summary>Signed, but the signatures do not verify (bad signature, expired RRSIG, missing DNSKEY for a DS).</summary>
    Bogus,
    /// <summary>Validation could not finish (a lookup on the way failed or timed out).</summary>
    Indeterminate,
}
