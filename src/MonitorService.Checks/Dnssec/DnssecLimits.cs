namespace MonitorService.Checks.Dnssec;

/// <summary>Fixed bounds of one validation.</summary>
public static class DnssecLimits
{
    /// <summary>
    /// Queries one validation may make: an answer, then DS and DNSKEY per zone up to the anchor, plus SOA lookups for
    /// unsigned names. Twelve zone levels fit; a hostile chain of more ends Indeterminate.
    /// </summary>
    public const int MaxQueriesPerValidation = 32;
}
