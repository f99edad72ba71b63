using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MonitorService.Checks.Dns;

namespace MonitorService.Checks.Dane;

/// <summary>Whether a TLSA record's association data matches a certificate (RFC 6698 §2.1.2, §2.1.3).</summary>
public static class TlsaMatcher
{
    public static bool Matches(TlsaRecordData record, X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(certificate);
        if (!TlsaUsability.IsUsable(record))
            return false;
        return AssociationData(certificate, record.Selector, record.MatchingType).AsSpan().SequenceEqual(record.Data);
    }

    /// <summary>What a record of this selector and matching type would carry for <paramref name="certificate"/>.</summary>
    public static byte[] AssociationData(X509Certificate2 certificate, byte selector, byte matchingType)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        var selected = selector switch
        {
            0 => certificate.RawData,
            1 => certificate.PublicKey.ExportSubjectPublicKeyInfo(),
            _ => throw new ArgumentOutOfRangeException(nameof(selector), selector, "Selector must be 0 or 1."),
        };
        return matchingType switch
        {
            0 => selected,
            1 => SHA256.HashData(selected),
            2 => SHA512.HashData(selected),
            _ => throw new ArgumentOutOfRangeException(nameof(matchingType), matchingType, "Matching type must be 0, 1 or 2."),
        };
    }

    /// <summary>The record senders should find for this certificate's key: <c>3 1 1 &lt;SHA-256 of the SubjectPublicKeyInfo&gt;</c>.</summary>
    public static string DaneEeRecord(X509Certificate2 certificate) =>
        $"3 1 1 {Convert.ToHexStringLower(AssociationData(certificate, 1, 1))}";
}
