using System.Security.Cryptography.X509Certificates;
using MonitorService.Checks.Dns;
using MonitorService.Checks.Model;
using MonitorService.Checks.Parsing;

namespace MonitorService.Checks.Dane;

/// <summary>
/// Matches one MX host's TLSA records against the chain its STARTTLS probe saw (RFC 7672 §3): DANE-EE(3) against the
/// leaf, without name or expiry checks (§3.1.1, §3.2); DANE-TA(2) against any certificate the server sent, then the
/// leaf must chain to it and carry a name a sender checks (§3.1.2, §3.2.2: the MX host or the TLSA base domain; a
/// wildcard covers one leftmost label, §3.2.3). Pure: no IO, no clock.
/// </summary>
public static class DaneEvaluator
{
    /// <summary>Records kept in the report; the rest are still evaluated.</summary>
    public const int MaxReportedRecords = 32;

    /// <returns>Null when the host publishes no TLSA records (and the lookup did not fail): no DANE to report.</returns>
    public static DaneEvaluation? Evaluate(DaneObservation? dane, DnssecStatus mxSecurity, DnssecStatus addressSecurity, IReadOnlyList<byte[]> presentedChain)
    {
        if (dane is null || dane.Tlsa.Outcome == DnsOutcome.NoRecord)
            return null;
        var security = new DaneSecurity(Name(mxSecurity), Name(addressSecurity), Name(dane.Tlsa.Security));
        if (dane.Tlsa.Outcome == DnsOutcome.Failed)
        {
            return new DaneEvaluation(dane.MxHost, new DaneReport
            {
                TlsaName = dane.TlsaName, Status = DaneStatuses.DnsError, Dnssec = security, Error = dane.Tlsa.Error,
            }, null, false, null);
        }

        var chain = presentedChain.Select(X509CertificateLoader.LoadCertificate).ToList();
        try
        {
            var leaf = chain.FirstOrDefault();
            var referenceNames = new[] { dane.MxHost, dane.BaseDomain }.Distinct(StringComparer.OrdinalIgnoreCase).ToList();
            // One chain build per trust anchor however many records name it: the records are the zone owner's to repeat.
            var chainVerdicts = new Dictionary<X509Certificate2, bool>(ReferenceEqualityComparer.Instance);
            var records = dane.Tlsa.Records.Select(r => Judge(r, leaf, chain, referenceNames, chainVerdicts)).ToList();
            var usable = records.Any(r => r.Usable);
            bool? matched = leaf is null ? null : records.Any(r => r.Matched);
            var weakest = new[] { mxSecurity, addressSecurity, dane.Tlsa.Security }.FirstOrDefault(s => s != DnssecStatus.Secure, DnssecStatus.Secure);
            var report = new DaneReport
            {
                TlsaName = dane.TlsaName,
                Records = records.Take(MaxReportedRecords).ToList(),
                Usable = usable,
                Matched = matched,
                Secure = weakest == DnssecStatus.Secure,
                Status = Status(weakest, usable, matched),
                Dnssec = security,
            };
            var usableRecords = dane.Tlsa.Records.Where(TlsaUsability.IsUsable).ToList();
            var onlyCurrent = leaf is not null && usableRecords.Count > 0 && usableRecords.All(r => r.Usage == 3 && TlsaMatcher.Matches(r, leaf));
            return new DaneEvaluation(dane.MxHost, report, leaf is null ? null : TlsaMatcher.DaneEeRecord(leaf), onlyCurrent,
                leaf is null ? null : new DateTimeOffset(leaf.NotAfter.ToUniversalTime(), TimeSpan.Zero));
        }
        finally
        {
            foreach (var certificate in chain)
                certificate.Dispose();
        }
    }

    /// <summary>The status of the first answer on a sender's way (MX, addresses, TLSA) that is not secure decides.</summary>
    private static string Status(DnssecStatus weakest, bool usable, bool? matched) => weakest switch
    {
        DnssecStatus.Insecure => DaneStatuses.Insecure,
        DnssecStatus.Bogus => DaneStatuses.Bogus,
        DnssecStatus.Indeterminate => DaneStatuses.Indeterminate,
        DnssecStatus.NotValidated => DaneStatuses.NotValidated,
        _ when !usable => DaneStatuses.Unusable,
        _ => matched switch
        {
            null => DaneStatuses.Untested,
            true => DaneStatuses.Matched,
            false => DaneStatuses.Mismatch,
        },
    };

    private static TlsaRecordReport Judge(TlsaRecordData record, X509Certificate2? leaf, List<X509Certificate2> chain, IReadOnlyList<string> referenceNames,
        Dictionary<X509Certificate2, bool> chainVerdicts)
    {
        var problem = TlsaUsability.Problem(record);
        var usable = problem is null;
        var matched = false;
        if (usable && leaf is not null)
            (matched, problem) = record.Usage == 3 ? (TlsaMatcher.Matches(record, leaf), null) : MatchTrustAnchor(record, leaf, chain, referenceNames, chainVerdicts);
        return new TlsaRecordReport(record.Usage, record.Selector, record.MatchingType, record.DataHex, usable, matched, problem);
    }

    private static (bool Matched, string? Problem) MatchTrustAnchor(TlsaRecordData record, X509Certificate2 leaf, List<X509Certificate2> chain,
        IReadOnlyList<string> referenceNames, Dictionary<X509Certificate2, bool> chainVerdicts)
    {
        var anchor = chain.FirstOrDefault(c => TlsaMatcher.Matches(record, c));
        if (anchor is null)
            return (false, null);
        if (!chainVerdicts.TryGetValue(anchor, out var chains))
            chainVerdicts[anchor] = chains = DaneChainCheck.ChainsTo(leaf, anchor, chain);
        if (!chains)
            return (false, $"matches {anchor.Subject}, but the leaf certificate does not chain to it");
        var names = Certificates.CertificateInspector.DnsNamesOf(leaf);
        if (!names.Any(n => referenceNames.Any(r => MxPatternMatcher.Matches(n, r))))
            return (false, $"matches {anchor.Subject}, but the leaf certificate names {(names.Count == 0 ? "no DNS name" : string.Join(", ", names.Take(10)))}, not {string.Join(" or ", referenceNames)} (RFC 7672 §3.2.2)");
        return (true, null);
    }

    public static string Name(DnssecStatus status) => status switch
    {
        DnssecStatus.Secure => "secure",
        DnssecStatus.Insecure => "insecure",
        DnssecStatus.Bogus => "bogus",
        DnssecStatus.Indeterminate => "indeterminate",
        _ => "not-validated",
    };
}
