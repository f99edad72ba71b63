using MonitorService.Checks.Model;
using MonitorService.Checks.Parsing;
using MonitorService.Checks.Smtp;

namespace MonitorService.Checks.Analysis;

/// <summary>Findings of the STARTTLS probe of one MX host (RFC 8461 §4.2, §7.2). Severity follows the policy mode.</summary>
internal static class SmtpRules
{
    private const string Rfc = "RFC 8461 §4.2";
    public static readonly TimeSpan ExpiryWarning = TimeSpan.FromDays(14);

    public static IEnumerable<Finding> Evaluate(MxHostObservation host, StsMode? mode, DateTimeOffset now)
    {
        if (host.Probe is not { } probe)
            yield break;
        var name = host.Record.Host;
        var severity = Severities.ByMode(mode);
        var consequence = Severities.Consequence(mode);
        if (probe.CutOff)
        {
            yield return new Finding(FindingCodes.SmtpReplyTooLarge, severity, name,
                $"{name} ({probe.Address}) sent more than any SMTP server needs to: {probe.Error}. Senders give up on such a server too. {consequence}", "RFC 5321 §4.5.3.1.5",
                $"Check the mail server behind {name}: its replies must end (a last line without '-' after the code), with lines of at most 512 octets.");
            yield break;
        }
        switch (probe.FailedAt)
        {
            case SmtpProbeStage.Connect or SmtpProbeStage.Greeting:
                yield return new Finding(FindingCodes.SmtpUnreachable, severity, name,
                    $"No SMTP greeting from {name} ({probe.Address}): {probe.Error}. {consequence}", "RFC 5321 §3.1",
                    $"Make {name} accept SMTP connections on port 25 from the internet.");
                yield break;
            case SmtpProbeStage.StartTls:
                yield return new Finding(FindingCodes.SmtpStartTlsMissing, severity, name,
                    $"{name} ({probe.Address}) does not offer STARTTLS in its EHLO reply. {consequence}", "RFC 8461 §5",
                    "Enable STARTTLS on the mail server with a certificate for this host name.");
                yield break;
            case SmtpProbeStage.Handshake:
                yield return new Finding(FindingCodes.SmtpTlsFailed, severity, name,
                    $"The TLS handshake with {name} ({probe.Address}) failed: {probe.Error}. {consequence}", "RFC 8461 §5",
                    "Check the server's TLS configuration (TLS 1.2 or newer, a certificate and key that belong together).");
                yield break;
        }
        if (probe.Protocol is "TLS 1.0" or "TLS 1.1")
            yield return new Finding(FindingCodes.SmtpTlsVersionOld, severity, name,
                $"{name} negotiated {probe.Protocol}; RFC 8461 §4.2 asks for TLS 1.2 or newer. {consequence}", "RFC 8461 §4.2",
                "Enable TLS 1.2 and 1.3 on the mail server.");
        if (probe.Certificate is not { } cert)
            yield break;
        if (!cert.Trusted)
            yield return new Finding(FindingCodes.SmtpCertUntrusted, severity, name,
                $"The certificate of {name} does not chain to a trusted root ({string.Join(", ", cert.ChainErrors.DefaultIfEmpty("untrusted"))}). {consequence}", Rfc,
                "Use a certificate from a public CA and send the full chain (leaf and intermediates).");
        if (!cert.MatchesHost)
            yield return new Finding(FindingCodes.SmtpCertHostnameMismatch, severity, name,
                $"The certificate of {name} is not valid for that name: {(cert.DnsNames.Count == 0 ? "it has no DNS subject alternative name" : $"it names {string.Join(", ", cert.DnsNames.Take(10))}")}. {consequence}", Rfc,
                $"Add {name} to the certificate's subject alternative names.");
        if (cert.NotAfter < now)
            yield return new Finding(FindingCodes.SmtpCertExpired, severity, name,
                $"The certificate of {name} expired on {cert.NotAfter:yyyy-MM-dd HH:mm} UTC. {consequence}", Rfc,
                $"Renew the certificate of {name}.");
        else if (cert.NotAfter - now < ExpiryWarning)
            yield return new Finding(FindingCodes.SmtpCertExpiring, Severity.Warning, name,
                $"The certificate of {name} expires on {cert.NotAfter:yyyy-MM-dd HH:mm} UTC.", Rfc,
                $"Renew the certificate of {name} before {cert.NotAfter:yyyy-MM-dd}.");
        if (host.Addresses.CanonicalName is { } canonical && !cert.DnsNames.Any(n => MxPatternMatcher.Matches(n, canonical)))
            yield return new Finding(FindingCodes.SmtpCertCnameTargetMismatch, Severity.Warning, name,
                $"{name} is an alias of {canonical}, and its certificate does not cover {canonical}. Senders that validate against the canonical name (Exchange Online) will fail.", Rfc,
                $"Add {canonical} to the certificate, or point the MX record at a name the certificate covers.");
    }
}
