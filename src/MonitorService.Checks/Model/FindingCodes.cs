namespace MonitorService.Checks.Model;

/// <summary>Every finding code the engine emits. Codes are part of our public contract: add, never rename.</summary>
public static class FindingCodes
{
    // The domain itself
    /// <summary>The domain does not exist in DNS (NXDOMAIN for the name itself): no record can exist below it.</summary>
    public const string DomainNxDomain = "DOMAIN_NXDOMAIN";

    // _mta-sts TXT record (RFC 8461 §3.1)
    public const string MtaStsTxtMissing = "MTASTS_TXT_MISSING";
    public const string MtaStsTxtMultiple = "MTASTS_TXT_MULTIPLE";
    public const string MtaStsTxtInvalid = "MTASTS_TXT_INVALID";
    public const string MtaStsTxtDnsError = "MTASTS_TXT_DNS_ERROR";
    /// <summary>Warning: record is valid by the ABNF but not by the prose, or has a repeated/odd field.</summary>
    public const string MtaStsTxtNonStandard = "MTASTS_TXT_NONSTANDARD";

    // Policy fetch (RFC 8461 §3.3)
    public const string PolicyUnreachable = "MTASTS_POLICY_UNREACHABLE";
    public const string PolicyCertInvalid = "MTASTS_POLICY_CERT_INVALID";
    public const string PolicyRedirect = "MTASTS_POLICY_REDIRECT";
    public const string PolicyHttpStatus = "MTASTS_POLICY_HTTP_STATUS";
    public const string PolicyContentType = "MTASTS_POLICY_CONTENT_TYPE";
    public const string PolicyTooLarge = "MTASTS_POLICY_TOO_LARGE";
    public const string PolicyCertExpiring = "MTASTS_POLICY_CERT_EXPIRING";
    public const string PolicyInconsistent = "MTASTS_POLICY_INCONSISTENT";
    public const string PolicySlow = "MTASTS_POLICY_SLOW";

    // Policy content (RFC 8461 §3.2, §4.1)
    public const string PolicySyntax = "MTASTS_POLICY_SYNTAX";
    public const string PolicyVersion = "MTASTS_POLICY_VERSION";
    public const string PolicyMode = "MTASTS_POLICY_MODE";
    public const string PolicyMaxAge = "MTASTS_POLICY_MAX_AGE";
    public const string MaxAgeLow = "MTASTS_MAX_AGE_LOW";
    public const string NoMx = "MTASTS_NO_MX";
    public const string MxPatternInvalid = "MTASTS_MX_PATTERN_INVALID";
    public const string ModeTesting = "MTASTS_MODE_TESTING";
    public const string ModeNone = "MTASTS_MODE_NONE";
    public const string PolicyLineEndings = "MTASTS_POLICY_LINE_ENDINGS";
    /// <summary>Warning: a repeated key, blank lines, a trailing dot: valid or tolerated, but senders disagree on it.</summary>
    public const string PolicyNonStandard = "MTASTS_POLICY_NONSTANDARD";

    // MX records and matching
    public const string MxMissing = "MX_MISSING";
    public const string MxNull = "MX_NULL";
    public const string MxDnsError = "MX_DNS_ERROR";
    public const string MxNoAddress = "MX_NO_ADDRESS";
    public const string MxMismatch = "MTASTS_MX_MISMATCH";
    public const string MxUnusedPattern = "MTASTS_MX_UNUSED_PATTERN";
    public const string MxCname = "MX_CNAME";
    public const string MxCnameTargetNotCovered = "MX_CNAME_TARGET_NOT_COVERED";

    // SMTP STARTTLS per MX host
    public const string SmtpUnreachable = "SMTP_UNREACHABLE";
    public const string SmtpStartTlsMissing = "SMTP_STARTTLS_MISSING";
    public const string SmtpTlsFailed = "SMTP_TLS_FAILED";
    public const string SmtpCertUntrusted = "SMTP_CERT_UNTRUSTED";
    public const string SmtpCertHostnameMismatch = "SMTP_CERT_HOSTNAME_MISMATCH";
    public const string SmtpCertExpired = "SMTP_CERT_EXPIRED";
    public const string SmtpCertExpiring = "SMTP_CERT_EXPIRING";
    public const string SmtpCertCnameTargetMismatch = "SMTP_CERT_CNAME_TARGET_MISMATCH";
    public const string SmtpTlsVersionOld = "SMTP_TLS_VERSION_OLD";
    /// <summary>The server sent more than the probe reads (a reply that never ends, a line without end): it was cut off.</summary>
    public const string SmtpReplyTooLarge = "SMTP_REPLY_TOO_LARGE";

    // TLS-RPT (RFC 8460 §3)
    public const string TlsRptMissing = "TLSRPT_MISSING";
    public const string TlsRptMultiple = "TLSRPT_MULTIPLE";
    public const string TlsRptInvalid = "TLSRPT_INVALID";
    public const string TlsRptDnsError = "TLSRPT_DNS_ERROR";

    // Name-server consistency: the authoritative servers asked directly (RFC 1034 §4.2.2, RFC 1996, RFC 5936)
    /// <summary>Error: the servers of the zone serve different <c>_mta-sts</c> ids; names the stale server, its address, serial and id.</summary>
    public const string NameServerStaleId = "NS_STALE_MTASTS_ID";
    /// <summary>Error or warning: the servers of the zone give different answers to one question (MX, TLS-RPT, policy host, TLSA).</summary>
    public const string NameServersInconsistent = "NS_INCONSISTENT";
    /// <summary>Warning: a server named in the delegation does not answer, refuses, or answers without the AA bit (lame).</summary>
    public const string NameServerLame = "NS_LAME";
    /// <summary>Info: every server that answered gave the same answers.</summary>
    public const string NameServersConsistent = "NS_CONSISTENT";
    /// <summary>Warning: the delegation (NS records) could not be looked up, or the survey ran out of time.</summary>
    public const string NameServerLookupFailed = "NS_LOOKUP_FAILED";
    // DNSSEC, as validated by the engine itself (RFC 4033-4035)
    /// <summary>Error: an answer's signatures do not verify (or a signed zone's records come unsigned): validating resolvers answer SERVFAIL.</summary>
    public const string DnssecBogus = "DNSSEC_BOGUS";
    /// <summary>Error: an RRSIG over an answer has expired: validating resolvers answer SERVFAIL.</summary>
    public const string DnssecRrsigExpired = "DNSSEC_RRSIG_EXPIRED";
    /// <summary>Info: the domain's MTA-STS / MX answers are provably unsigned.</summary>
    public const string DnssecInsecure = "DNSSEC_INSECURE";
    /// <summary>Info: validation could not finish (a lookup failed, or the resolver passes no DNSSEC records).</summary>
    public const string DnssecIndeterminate = "DNSSEC_INDETERMINATE";
    // DANE for SMTP (RFC 7672)
    /// <summary>Error: secure, usable TLSA records and none matches what the MX host presents: DANE senders refuse mail.</summary>
    public const string DaneTlsaMismatch = "DANE_TLSA_MISMATCH";
    /// <summary>Warning: a TLSA record senders cannot use (usage 0/1, unknown selector or matching type, wrong length).</summary>
    public const string DaneTlsaUnusable = "DANE_TLSA_UNUSABLE";
    /// <summary>Warning: TLSA records exist, but the MX, address or TLSA answer is not DNSSEC-signed: senders ignore them.</summary>
    public const string DaneTlsaInsecure = "DANE_TLSA_INSECURE";
    /// <summary>The TLSA lookup failed; an error when the MX host is otherwise secure (DANE senders defer mail).</summary>
    public const string DaneTlsaDnsError = "DANE_TLSA_DNS_ERROR";
    /// <summary>Warning: the certificate expires soon and the TLSA records pin only its key.</summary>
    public const string DaneRolloverRisk = "DANE_ROLLOVER_RISK";
    /// <summary>Warning: DANE is in force and no TLS-RPT record tells senders where to report DANE failures.</summary>
    public const string DaneTlsRptMissing = "DANE_TLSRPT_MISSING";
    /// <summary>Info: DANE and MTA-STS both apply; which senders use which.</summary>
    public const string DaneWithMtaSts = "DANE_WITH_MTA_STS";

    // Network safety
    public const string NetAddressBlocked = "NET_ADDRESS_BLOCKED";

    // The check itself
    public const string CheckTimeout = "CHECK_TIMEOUT";
    /// <summary>Something was left out: MX hosts or addresses past the caps, or an address the check's time did not reach.</summary>
    public const string CheckLimited = "CHECK_LIMITED";
}
