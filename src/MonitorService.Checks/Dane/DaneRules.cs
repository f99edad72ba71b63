using System.Globalization;
using MonitorService.Checks.Model;

namespace MonitorService.Checks.Dane;

/// <summary>
/// Findings of DANE (RFC 7672) per MX host and for the domain. Keyed on the DNSSEC status of the answers: senders apply
/// TLSA records only when the MX answer, the host's addresses and the TLSA answer are all secure (§2.2). Without a
/// validator (status not-validated) nothing that depends on it is concluded.
/// </summary>
public static class DaneRules
{
    /// <summary>How long before expiry a certificate whose key is the only one pinned is a rollover risk.</summary>
    public static readonly TimeSpan RolloverWarning = TimeSpan.FromDays(21);

    public static IEnumerable<Finding> EvaluateHost(DaneEvaluation dane, string domain, DateTimeOffset now)
    {
        var host = dane.MxHost;
        var report = dane.Report;
        var tlsaName = report.TlsaName;
        if (report.Status == DaneStatuses.DnsError)
        {
            var hostSecure = report.Dnssec is { Mx: "secure", Addresses: "secure" };
            yield return new Finding(FindingCodes.DaneTlsaDnsError, hostSecure ? Severity.Error : Severity.Warning, host,
                $"The TLSA lookup of {tlsaName} failed: {report.Error}. " + (hostSecure
                    ? "The MX and address answers are DNSSEC-signed, so DANE senders must learn whether TLSA records exist, and defer mail to this host while the lookup fails."
                    : "Once the zone is signed, DANE senders would defer mail to this host while the lookup fails."),
                "RFC 7672 §2.1.1",
                $"Make the name servers of {HostZone(host)} answer TLSA queries for {tlsaName} (records, or NOERROR/NXDOMAIN with a signed denial); some break on names starting with an underscore.");
            yield break;
        }

        foreach (var record in report.Records.Where(r => !r.Usable))
            yield return new Finding(FindingCodes.DaneTlsaUnusable, Severity.Warning, host,
                $"{tlsaName} IN TLSA {Presentation(record)}: {record.Problem}." + (report.Usable ? "" : " No record at this name is usable: DANE senders still require TLS with this host, but cannot authenticate it."),
                "RFC 7672 §3.1.3",
                $"Replace it with a DANE-EE record of the key the host presents: \"{tlsaName}. IN TLSA {dane.CurrentKeyRecord ?? "3 1 1 <SHA-256 of the certificate's SubjectPublicKeyInfo>"}\".");

        if (report.Status is DaneStatuses.Insecure)
        {
            var (where, fix) = report.Dnssec switch
            {
                { Mx: "insecure" } => ($"the MX answer of {domain} is not DNSSEC-signed, so senders never look for TLSA records of its MX hosts",
                    $"Sign the zone of {domain} with DNSSEC and publish its DS record at the parent zone, or remove the TLSA records of {host}."),
                { Addresses: "insecure" } => ($"the addresses of {host} are not DNSSEC-signed, so senders do not look for its TLSA records",
                    $"Sign the zone of {HostZone(host)} with DNSSEC and publish its DS record at the parent zone, or remove the TLSA records."),
                _ => ($"the TLSA answer for {tlsaName} is not DNSSEC-signed, so senders ignore it",
                    $"Sign the zone holding {tlsaName} with DNSSEC and publish its DS record at the parent zone, or remove the TLSA records."),
            };
            yield return new Finding(FindingCodes.DaneTlsaInsecure, Severity.Warning, host,
                $"{host} publishes TLSA records at {tlsaName}, but {where}: they protect nothing, and mail to this host is not DANE-authenticated.",
                "RFC 7672 §2.2", fix);
        }

        if (report.Status == DaneStatuses.Mismatch)
        {
            var nameOnly = report.Records.Any(r => r.Usable && r.Problem is not null);
            var reasons = report.Records.Where(r => r.Usable && r.Problem is not null).Select(r => $"{Presentation(r)} {r.Problem}").Take(3).ToList();
            yield return new Finding(FindingCodes.DaneTlsaMismatch, Severity.Error, host,
                $"None of the usable TLSA records at {tlsaName} matches the certificate {host} presents" + (reasons.Count > 0 ? $" ({string.Join("; ", reasons)})" : "")
                + ". DANE senders (Postfix, Exim, Microsoft 365 and others that validate DNSSEC) refuse to deliver mail to this host.",
                "RFC 7672 §3.1",
                nameOnly && report.Records.All(r => !r.Usable || r.Usage == 2)
                    ? $"Add {host} to the certificate's subject alternative names, or publish \"{tlsaName}. IN TLSA {dane.CurrentKeyRecord}\" for the key the host presents."
                    : $"Publish \"{tlsaName}. IN TLSA {dane.CurrentKeyRecord}\" for the key {host} presents now (keep the old record while a server still uses the old key), or put back the certificate whose key the records pin.");
        }

        if (report.Status == DaneStatuses.Matched && dane.OnlyCurrentKeyPinned && dane.LeafNotAfter is { } notAfter && notAfter - now < RolloverWarning)
        {
            var pinsCertificate = report.Records.Any(r => r.Usable && r.Selector == 0);
            yield return new Finding(FindingCodes.DaneRolloverRisk, Severity.Warning, host,
                $"The certificate of {host} expires on {notAfter.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC and the TLSA records at {tlsaName} pin only its key"
                + (pinsCertificate ? " (a selector 0 record pins the whole certificate, so even a renewal with the same key breaks it)" : "")
                + ". If the renewal brings a new key before a record for it is published, DANE senders refuse mail.",
                "RFC 7671 §8.1",
                $"Before renewing, publish \"{tlsaName}. IN TLSA 3 1 1 <SHA-256 of the new key's SubjectPublicKeyInfo>\" beside the current record and wait two TTLs before deploying the new certificate"
                + (pinsCertificate ? $"; or replace the selector 0 record with \"{tlsaName}. IN TLSA {dane.CurrentKeyRecord}\" and renew with the same key (certbot --reuse-key)." : ", or renew with the same key (certbot --reuse-key)."));
        }
    }

    /// <summary>Findings about the domain as a whole once DANE is in force for at least one MX host.</summary>
    /// <param name="tlsRptPublished">A valid TLS-RPT record exists (or its lookup failed: then nothing is said).</param>
    /// <param name="mtaStsMode">The mode of the usable MTA-STS policy, null without one.</param>
    public static IEnumerable<Finding> EvaluateDomain(IReadOnlyList<DaneEvaluation> hosts, string domain, bool tlsRptPublished, StsMode? mtaStsMode)
    {
        var daneHosts = hosts.Where(h => h.Applies).Select(h => h.MxHost).ToList();
        if (daneHosts.Count == 0)
            yield break;
        if (!tlsRptPublished)
            yield return new Finding(FindingCodes.DaneTlsRptMissing, Severity.Warning, $"_smtp._tls.{domain}",
                $"DANE is in force for {string.Join(", ", daneHosts)}, but {domain} publishes no TLS-RPT record: senders that fail DANE (a certificate renewal that broke the TLSA match) refuse the mail and tell no one.",
                "RFC 8460 §3",
                $"Publish a TXT record at _smtp._tls.{domain}: \"v=TLSRPTv1; rua=mailto:tlsrpt@{domain}\".");
        if (mtaStsMode is StsMode.Enforce or StsMode.Testing)
            yield return new Finding(FindingCodes.DaneWithMtaSts, Severity.Info, domain,
                $"{domain} has both DANE (for {string.Join(", ", daneHosts)}) and an MTA-STS policy in mode {StsPolicy.ModeName(mtaStsMode.Value)}. "
                + "Senders that validate DNSSEC and support DANE (Postfix and Exim with DANE on, Microsoft 365) use the TLSA records and ignore MTA-STS for these hosts (RFC 8461 §2); "
                + "senders without DANE (Gmail, among others) use MTA-STS. Keep both working: a certificate change must match the TLSA records and the policy's mx lines.",
                "RFC 8461 §2");
    }

    /// <summary>"3 1 1 ab12…": a record as in a zone file, long data shortened.</summary>
    public static string Presentation(TlsaRecordReport record) =>
        $"{record.Usage} {record.Selector} {record.MatchingType} {(record.Data.Length > 72 ? record.Data[..64] + "…" : record.Data)}";

    /// <summary>The zone a host name lives in, as far as a message can tell: its parent name.</summary>
    private static string HostZone(string host) => host.IndexOf('.', StringComparison.Ordinal) is var dot and > 0 ? host[(dot + 1)..] : host;
}
