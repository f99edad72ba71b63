using System.Net.Http.Headers;
using MonitorService.Checks.Dns;
using MonitorService.Checks.Model;
using MonitorService.Checks.Policy;

namespace MonitorService.Checks.Analysis;

/// <summary>Findings about getting the policy file (RFC 8461 §3.3): reachability, certificate, status, type, size.</summary>
internal static class PolicyFetchRules
{
    private const string Rfc = "RFC 8461 §3.3";
    public static readonly TimeSpan ExpiryWarning = TimeSpan.FromDays(14);
    public static readonly TimeSpan SlowAnswer = TimeSpan.FromSeconds(4);

    /// <summary>The response the report shows: the first address that answered, else the first attempt.</summary>
    public static PolicyFetchResult? Primary(IReadOnlyList<PolicyFetchResult> fetches) =>
        fetches.FirstOrDefault(f => f.GotResponse) ?? fetches.FirstOrDefault();

    public static IEnumerable<Finding> Evaluate(CheckObservations o, bool txtPublished)
    {
        var host = o.PolicyHost;
        var url = PolicyFetcher.PolicyUrl(o.Domain, o.PolicyPort);
        switch (o.PolicyHostAddresses.Outcome)
        {
            case DnsOutcome.Failed:
                yield return new Finding(FindingCodes.PolicyUnreachable, Severity.Error, host,
                    $"The address of the policy host could not be looked up: {o.PolicyHostAddresses.Error}. Senders cannot fetch the policy while this lasts.", Rfc);
                yield break;
            case DnsOutcome.NoRecord:
                // A domain without the TXT record and without the host simply does not use MTA-STS: MTASTS_TXT_MISSING says so.
                if (txtPublished)
                    yield return new Finding(FindingCodes.PolicyUnreachable, Severity.Error, host,
                        $"{host} has no A or AAAA record, so senders cannot fetch {url} although _mta-sts.{o.Domain} announces a policy.", Rfc,
                        $"Publish an A/AAAA record for {host} pointing at a web server with a valid certificate for that name that serves the policy.");
                yield break;
        }
        if (o.PolicyFetches.Count == 0)
            yield break; // every address was refused by the address guard: NET_ADDRESS_BLOCKED says so

        var primary = Primary(o.PolicyFetches)!;
        foreach (var finding in EvaluateOne(primary, host, url, o.CheckedAt))
            yield return finding;
        var inconsistency = DescribeInconsistency(o.PolicyFetches, primary);
        if (inconsistency is not null)
            yield return new Finding(FindingCodes.PolicyInconsistent, Severity.Warning, host,
                $"The addresses of {host} do not all serve the same thing: {inconsistency}. Senders reach a random one of them, so some see a different policy (or none).", Rfc,
                "Make every server behind this name serve the same policy file with the same certificate.");
    }

    private static IEnumerable<Finding> EvaluateOne(PolicyFetchResult r, string host, string url, DateTimeOffset now)
    {
        var at = $"{url} ({r.Address})";
        if (r.Certificate is { } cert)
        {
            var problems = CertificateProblems(cert, host, now).ToList();
            if (problems.Count > 0)
                yield return new Finding(FindingCodes.PolicyCertInvalid, Severity.Error, host,
                    $"The HTTPS certificate of {host} is not valid for senders: {string.Join("; ", problems)}. Senders discard the policy (TLS-RPT result sts-webpki-invalid).", Rfc,
                    $"Install a certificate from a public CA whose subject alternative names include {host}, with its full chain.");
            else if (cert.NotAfter - now < ExpiryWarning)
                yield return new Finding(FindingCodes.PolicyCertExpiring, Severity.Warning, host,
                    $"The HTTPS certificate of {host} expires on {cert.NotAfter:yyyy-MM-dd HH:mm} UTC. After that senders cannot refresh the policy.", Rfc,
                    $"Renew the certificate of {host} before {cert.NotAfter:yyyy-MM-dd}.");
        }
        if (!r.GotResponse)
        {
            yield return new Finding(FindingCodes.PolicyUnreachable, Severity.Error, host,
                $"Fetching {at} failed: {r.Error}. Senders that have no cached policy deliver as if the domain had no MTA-STS; those with one keep using it until max_age runs out.", Rfc,
                $"Make {host} answer HTTPS on port 443 with the policy file.");
            yield break;
        }
        if (r.Status is >= 300 and < 400)
        {
            yield return new Finding(FindingCodes.PolicyRedirect, Severity.Error, r.Location ?? host,
                $"{at} answered HTTP {r.Status} redirecting to {r.Location ?? "(no Location)"}. Senders must not follow redirects, so they see no policy.", Rfc,
                $"Serve the policy file directly at {url} with status 200.");
            yield break;
        }
        if (r.Status != 200)
        {
            yield return new Finding(FindingCodes.PolicyHttpStatus, Severity.Error, host,
                $"{at} answered HTTP {r.Status}. Only 200 counts as a policy, so senders see none.", Rfc,
                $"Serve the policy file at {url} with status 200.");
            yield break;
        }
        if (!IsTextPlain(r.ContentType))
            yield return new Finding(FindingCodes.PolicyContentType, Severity.Warning, host,
                r.ContentType is null
                    ? $"{at} sent no Content-Type. RFC 8461 §3.2 says the policy should be text/plain, and some senders reject anything else."
                    : $"{at} is served as \"{r.ContentType}\". RFC 8461 §3.2 says it should be text/plain, and some senders reject anything else.",
                "RFC 8461 §3.2", "Serve the file with Content-Type: text/plain.");
        if (r.TooLarge)
            yield return new Finding(FindingCodes.PolicyTooLarge, Severity.Error, host,
                $"{at} is larger than 64 KiB; senders stop reading there and discard the policy. Reading was stopped at the limit.", Rfc,
                "Serve only the policy: a few lines of key: value.");
        if (r.Elapsed > SlowAnswer)
            yield return new Finding(FindingCodes.PolicySlow, Severity.Warning, host,
                $"{at} took {r.Elapsed.TotalSeconds:0.0} s to answer; some senders give up after 2-4 s.", Rfc);
    }

    /// <summary>RFC 8461 §3.3 with RFC 6125: trusted chain, a DNS-ID for the policy host, not expired.</summary>
    public static IEnumerable<string> CertificateProblems(CertificateReport cert, string host, DateTimeOffset now)
    {
        if (!cert.Trusted)
            yield return cert.ChainErrors.Count > 0 ? $"untrusted ({string.Join(", ", cert.ChainErrors)})" : "untrusted";
        if (!cert.MatchesHost)
            yield return cert.DnsNames.Count == 0
                ? $"it has no DNS subject alternative name (a common name alone does not count), so it is not valid for {host}"
                : $"it is not valid for {host} (it names {string.Join(", ", cert.DnsNames.Take(10))})";
        if (cert.NotAfter < now)
            yield return $"it expired on {cert.NotAfter:yyyy-MM-dd HH:mm} UTC";
        else if (cert.NotBefore > now)
            yield return $"it is not valid before {cert.NotBefore:yyyy-MM-dd HH:mm} UTC";
    }

    private static bool IsTextPlain(string? contentType) =>
        contentType is not null && MediaTypeHeaderValue.TryParse(contentType, out var parsed)
        && string.Equals(parsed.MediaType, "text/plain", StringComparison.OrdinalIgnoreCase);

    private static string? DescribeInconsistency(IReadOnlyList<PolicyFetchResult> fetches, PolicyFetchResult primary)
    {
        foreach (var other in fetches.Where(f => !ReferenceEquals(f, primary)))
        {
            if (other.Status != primary.Status || other.GotResponse != primary.GotResponse)
                return $"{primary.Address} answered {Outcome(primary)}, {other.Address} answered {Outcome(other)}";
            if (!string.Equals(other.Body, primary.Body, StringComparison.Ordinal))
                return $"{primary.Address} and {other.Address} serve different policy bodies";
            if (other.Certificate?.Sha256Fingerprint != primary.Certificate?.Sha256Fingerprint)
                return $"{primary.Address} and {other.Address} present different certificates";
        }
        return null;
    }

    private static string Outcome(PolicyFetchResult f) => f.Status is { } s ? $"HTTP {s}" : $"nothing ({f.Error})";
}
