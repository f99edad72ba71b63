using MonitorService.Checks.Dns;

namespace MonitorService.Checks.Dane;

/// <summary>
/// Which TLSA records SMTP senders use (RFC 7672 §3.1): usages DANE-TA(2) and DANE-EE(3) only — PKIX-TA(0) and
/// PKIX-EE(1) are unusable for SMTP (§3.1.3) — selectors Cert(0) and SPKI(1), matching types Full(0), SHA2-256(1)
/// and SHA2-512(2) (RFC 6698 §2.1). Anything else, or a digest of the wrong length, can never match: senders treat
/// the record as unusable.
/// </summary>
public static class TlsaUsability
{
    /// <summary>Why senders cannot use <paramref name="record"/>, or null when they can.</summary>
    public static string? Problem(TlsaRecordData record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var usage = record.Usage switch
        {
            0 => "usage 0 (PKIX-TA) is unusable for SMTP: senders ignore it (RFC 7672 §3.1.3)",
            1 => "usage 1 (PKIX-EE) is unusable for SMTP: senders ignore it (RFC 7672 §3.1.3)",
            2 or 3 => null,
            var u => $"usage {u} is not defined (RFC 6698 §2.1.1)",
        };
        if (usage is not null)
            return usage;
        if (record.Selector > 1)
            return $"selector {record.Selector} is not defined (RFC 6698 §2.1.2: 0 full certificate, 1 SubjectPublicKeyInfo)";
        return record.MatchingType switch
        {
            0 when record.Data.Length == 0 => "matching type 0 (exact) with no data matches nothing",
            1 when record.Data.Length != 32 => $"matching type 1 (SHA-256) needs 32 bytes of data; this record has {record.Data.Length}",
            2 when record.Data.Length != 64 => $"matching type 2 (SHA-512) needs 64 bytes of data; this record has {record.Data.Length}",
            0 or 1 or 2 => null,
            var m => $"matching type {m} is not defined (RFC 6698 §2.1.3: 0 exact, 1 SHA-256, 2 SHA-512)",
        };
    }

    public static bool IsUsable(TlsaRecordData record) => Problem(record) is null;
}
