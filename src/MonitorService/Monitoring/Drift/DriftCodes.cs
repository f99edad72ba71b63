namespace MonitorService.Monitoring.Drift;

/// <summary>Every drift event code. Codes are part of the public contract: add, never rename.</summary>
public static class DriftCodes
{
    /// <summary>Info: the MX host set changed.</summary>
    public const string MxChanged = "DRIFT_MX_CHANGED";
    /// <summary>Info: the policy body changed and the TXT id changed with it.</summary>
    public const string PolicyChanged = "DRIFT_POLICY_CHANGED";
    /// <summary>Info: the TXT id changed, the policy body did not.</summary>
    public const string TxtIdChanged = "DRIFT_TXT_ID_CHANGED";
    /// <summary>Error: the policy body changed under an unchanged TXT id (RFC 8461 §3.1, §8.1).</summary>
    public const string StaleId = "DRIFT_STALE_ID";
    /// <summary>Error: after an MX change, a host is not covered by the published policy (RFC 8461 §4.1).</summary>
    public const string MxNotCovered = "DRIFT_MX_NOT_COVERED";
    /// <summary>Warning: senders may still hold an earlier enforce policy that does not cover a current MX host.</summary>
    public const string CachedPolicyExposure = "DRIFT_CACHED_POLICY_EXPOSURE";
    /// <summary>Warning: the mode went enforce to testing/none, or testing to none.</summary>
    public const string ModeDowngrade = "DRIFT_MODE_DOWNGRADE";
    /// <summary>Error: the policy could not be fetched in N consecutive checks (RFC 8461 §10.2).</summary>
    public const string PolicyUnreachable = "DRIFT_POLICY_UNREACHABLE";
    /// <summary>Warning: the valid TXT record disappeared while an enforce policy may still be cached (RFC 8461 §3.1, §5.1, §8.3).</summary>
    public const string TxtRemoved = "DRIFT_TXT_REMOVED";
    /// <summary>Warning: a new TXT id is served by some authoritative servers only: not yet published (RFC 8461 §3.1).</summary>
    public const string IdNotYetPublished = "DRIFT_ID_NOT_YET_PUBLISHED";
    /// <summary>The TLSA records of an MX host changed; an error when none matches its certificate any more (RFC 7672 §3.1).</summary>
    public const string TlsaChanged = "DRIFT_TLSA_CHANGED";
    /// <summary>An MX host's certificate changed and no TLSA record matches it any more: DANE senders refuse mail.</summary>
    public const string DaneCertMismatch = "DRIFT_DANE_CERT_MISMATCH";
}
