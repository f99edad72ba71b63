using MonitorService.Checks.Model;

namespace MonitorService.TlsRpt.Correlation;

/// <summary>
/// Which of our findings can explain a TLS-RPT result type (RFC 8460 §4.3): the sender saw the failure, our probe
/// saw its cause. Host-bound result types are explained only by a finding about the same MX host (the finding's
/// subject); domain-wide ones (the policy fetch) by a finding about the policy host, whatever it names.
/// </summary>
public static class FailureExplanations
{
    /// <summary>The finding codes that explain a result type, in the order they are preferred, and whether the finding must name the failing MX host.</summary>
    public sealed record Explanation(IReadOnlyList<string> FindingCodes, bool SameMxHost);

    private static readonly Dictionary<string, Explanation> ByResultType = new(StringComparer.OrdinalIgnoreCase)
    {
        // The sender could not fetch the policy: our fetch failed too (unreachable, bad certificate, redirect, status, type, size).
        ["sts-policy-fetch-error"] = new([FindingCodes.PolicyUnreachable, FindingCodes.PolicyCertInvalid, FindingCodes.PolicyHttpStatus,
            FindingCodes.PolicyRedirect, FindingCodes.PolicyContentType, FindingCodes.PolicyTooLarge], false),
        ["sts-webpki-invalid"] = new([FindingCodes.PolicyCertInvalid], false),
        ["sts-policy-invalid"] = new([FindingCodes.PolicySyntax, FindingCodes.PolicyVersion, FindingCodes.PolicyMode, FindingCodes.PolicyMaxAge,
            FindingCodes.MxPatternInvalid], false),
        ["certificate-host-mismatch"] = new([FindingCodes.SmtpCertHostnameMismatch, FindingCodes.SmtpCertCnameTargetMismatch], true),
        ["certificate-expired"] = new([FindingCodes.SmtpCertExpired], true),
        ["certificate-not-trusted"] = new([FindingCodes.SmtpCertUntrusted], true),
        ["starttls-not-supported"] = new([FindingCodes.SmtpStartTlsMissing], true),
        // The MX the sender reached is not covered by the policy (MX coverage), or the handshake itself failed.
        ["validation-failure"] = new([FindingCodes.MxMismatch, FindingCodes.MxCnameTargetNotCovered, FindingCodes.SmtpTlsFailed,
            FindingCodes.SmtpCertUntrusted, FindingCodes.SmtpCertHostnameMismatch, FindingCodes.SmtpCertExpired], true),
    };

    /// <summary>The explanation of <paramref name="resultType"/>, or null for result types our checks cannot see (DANE, DNSSEC, unregistered ones).</summary>
    public static Explanation? For(string resultType) => ByResultType.GetValueOrDefault(resultType);

    public static IReadOnlyCollection<string> ResultTypes => ByResultType.Keys;
}
