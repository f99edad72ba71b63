using MonitorService.Checks.Model;
using MonitorService.Checks.Parsing;

namespace MonitorService.Monitoring.Drift;

/// <summary>
/// What drift compares of one MX host's DANE: its TLSA records (presentation form, sorted), the certificate it
/// presented, and whether a usable record matched it.
/// </summary>
/// <param name="Records">Empty when the host publishes no TLSA records.</param>
/// <param name="CertificateFingerprint">SHA-256 of the presented leaf; null when the probe saw no certificate.</param>
/// <param name="Matched">Whether a usable record matched; null without records or without a certificate.</param>
/// <param name="Secure">The MX, address and TLSA answers were DNSSEC-secure: senders apply the records.</param>
public sealed record DaneHostState(string Host, IReadOnlyList<string> Records, string? CertificateFingerprint, bool? Matched, bool Secure)
{
    /// <summary>The hosts whose TLSA records this check established (a failed TLSA lookup is not "no records").</summary>
    public static IReadOnlyList<DaneHostState> Of(CheckReport report) => report.Mx
        .Where(m => m.Dane?.Status != DaneStatuses.DnsError)
        .Select(m => new DaneHostState(
            MxPatternMatcher.NormalizeHost(m.Host),
            m.Dane?.Records.Select(r => $"{r.Usage} {r.Selector} {r.MatchingType} {r.Data}").Order(StringComparer.Ordinal).ToList() ?? [],
            m.Tls?.Certificate?.Sha256Fingerprint,
            m.Dane?.Matched,
            m.Dane?.Secure ?? false))
        .Where(h => h.Host.Length > 0)
        .ToList();

    public bool SameRecords(DaneHostState other) => Records.SequenceEqual(other.Records, StringComparer.Ordinal);
}
