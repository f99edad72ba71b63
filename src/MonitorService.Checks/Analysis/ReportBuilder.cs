using MonitorService.Checks.Dane;
using MonitorService.Checks.Dns;
using MonitorService.Checks.Model;
using MonitorService.Checks.NameServers;
using MonitorService.Checks.Net;
using MonitorService.Checks.Parsing;
using MonitorService.Checks.Policy;

namespace MonitorService.Checks.Analysis;

/// <summary>Turns what a check observed into its report and findings. Pure: no IO, time comes in with the observations.</summary>
public static class ReportBuilder
{
    /// <summary>Findings of one code a report lists one by one; the rest are counted in one more.</summary>
    public const int MaxFindingsPerCode = 20;

    public static CheckReport Build(CheckObservations o)
    {
        var findings = new List<Finding>();

        var txt = AnalyzeTxt(o, findings);
        var primary = PolicyFetchRules.Primary(o.PolicyFetches);
        var parsed = primary is { Status: 200, TooLarge: false, Body: { } body } ? StsPolicyParser.Parse(body) : null;

        if (o.PolicyHostBlocked.Count > 0 && o.PolicyFetches.Count == 0)
            findings.Add(Blocked(o.PolicyHost, o.PolicyHostBlocked));
        findings.AddRange(PolicyFetchRules.Evaluate(o, txtPublished: txt.StsRecords.Count > 0));
        if (parsed is not null)
            findings.AddRange(parsed.Findings);
        if (txt.StsRecords.Count == 0 && o.StsTxt.Outcome != DnsOutcome.Failed && parsed is not null)
            Reword(findings, FindingCodes.MtaStsTxtMissing, m => $"{m} A policy file is nevertheless served at {PolicyFetcher.PolicyUrl(o.Domain, o.PolicyPort)}: senders never fetch it without the TXT record.");

        // Senders apply only a usable policy; "none" withdraws it, and a null MX takes no mail to protect.
        var policy = parsed?.Policy is { IsUsable: true } usable ? usable : null;
        var activeMode = policy?.Mode;
        if (policy is not null && policy.Mode != StsMode.None && o.Mx.Outcome == DnsOutcome.Found && !MxRules.IsNullMx(o.Mx))
            findings.AddRange(MxRules.EvaluateCoverage(o, policy, txt.Id));
        findings.AddRange(MxRules.EvaluateRecords(o));
        foreach (var host in o.MxHosts)
        {
            if (host.Blocked.Count > 0 && host.Probe is null && o.SmtpProbed)
                findings.Add(Blocked(host.Record.Host, host.Blocked));
            findings.AddRange(SmtpRules.Evaluate(host, activeMode, o.CheckedAt));
        }
        var tlsRpt = AnalyzeTlsRpt(o, findings);
        var dane = o.MxHosts.Select(h => DaneEvaluator.Evaluate(h.Dane, o.Mx.Security, h.Addresses.Security, h.Probe?.PresentedChain ?? [])).ToList();
        AddDaneFindings(o, dane.OfType<DaneEvaluation>().ToList(), tlsRpt is not null || o.TlsRpt.Outcome == DnsOutcome.Failed, policy?.Mode, findings);
        findings.AddRange(LimitRules.Evaluate(o));
        findings.AddRange(DnssecRules.Evaluate(o));
        DomainRules.ReportMissingDomain(o, findings);
        NameServerSection? nameServers = null;
        if (o.NameServers is not null)
        {
            (nameServers, var nameServerFindings) = NameServerRules.Evaluate(o.NameServers);
            findings.AddRange(nameServerFindings);
        }

        return new CheckReport
        {
            Domain = o.Domain,
            CheckedAt = o.CheckedAt,
            Txt = new TxtSection(o.StsTxt.Records, txt.Id, o.StsTxt.Error),
            Policy = primary is null ? null : PolicySectionOf(o, primary, parsed?.Policy),
            Mx = o.MxHosts.Select((h, i) => MxReportOf(h, policy) with { Dane = dane[i]?.Report }).ToList(),
            TlsRpt = tlsRpt,
            NameServers = nameServers,
            Dnssec = DnssecRules.Section(o),
            Findings = LimitPerCode(findings).OrderByDescending(f => f.Severity).ToList(),
        };
    }

    /// <summary>
    /// The first <see cref="MaxFindingsPerCode"/> findings of each code, then one that counts the rest: a 64 KiB policy
    /// of bad lines must not become thousands of findings (and, in the monitor, incidents and alert lines).
    /// </summary>
    internal static List<Finding> LimitPerCode(List<Finding> findings)
    {
        var kept = new List<Finding>(findings.Count);
        var leftOut = new Dictionary<string, List<Finding>>(StringComparer.Ordinal);
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var finding in findings)
        {
            var seen = counts[finding.Code] = counts.GetValueOrDefault(finding.Code) + 1;
            if (seen <= MaxFindingsPerCode)
                kept.Add(finding);
            else if (leftOut.TryGetValue(finding.Code, out var rest))
                rest.Add(finding);
            else
                leftOut[finding.Code] = [finding];
        }
        foreach (var (code, rest) in leftOut)
            kept.Add(new Finding(code, rest.Max(f => f.Severity), null,
                $"{rest.Count} more {code} findings like the ones above were left out of this report.", rest[0].Rfc));
        return kept;
    }

    /// <summary>
    /// DANE per host, then for the domain. With DANE in force the TLS-RPT finding says why it matters more (DANE
    /// failures are refusals that no one else reports), so it replaces the general one instead of repeating it.
    /// </summary>
    private static void AddDaneFindings(CheckObservations o, IReadOnlyList<DaneEvaluation> dane, bool tlsRptPublished, StsMode? mode, List<Finding> findings)
    {
        foreach (var host in dane)
            findings.AddRange(DaneRules.EvaluateHost(host, o.Domain, o.CheckedAt));
        var domain = DaneRules.EvaluateDomain(dane, o.Domain, tlsRptPublished, mode).ToList();
        if (domain.Any(f => f.Code == FindingCodes.DaneTlsRptMissing))
            findings.RemoveAll(f => f.Code == FindingCodes.TlsRptMissing);
        findings.AddRange(domain);
    }

    private static StsTxtAnalysis AnalyzeTxt(CheckObservations o, List<Finding> findings)
    {
        if (o.StsTxt.Outcome == DnsOutcome.Failed)
        {
            findings.Add(new Finding(FindingCodes.MtaStsTxtDnsError, Severity.Error, $"_mta-sts.{o.Domain}",
                $"The TXT lookup of _mta-sts.{o.Domain} failed: {o.StsTxt.Error}. This is not the same as a missing record: senders cannot discover the policy while it lasts, and keep any cached one.", "RFC 8461 §3.1"));
            return new StsTxtAnalysis([], null, []);
        }
        var analysis = StsTxtRecordAnalyzer.Analyze(o.StsTxt.Records);
        findings.AddRange(analysis.Findings.Select(f => f.Code == FindingCodes.MtaStsTxtMissing ? f with { Subject = f.Subject ?? $"_mta-sts.{o.Domain}" } : f));
        return analysis;
    }

    private static TlsRptSection? AnalyzeTlsRpt(CheckObservations o, List<Finding> findings)
    {
        if (o.TlsRpt.Outcome == DnsOutcome.Failed)
        {
            findings.Add(new Finding(FindingCodes.TlsRptDnsError, Severity.Warning, $"_smtp._tls.{o.Domain}",
                $"The TXT lookup of _smtp._tls.{o.Domain} failed: {o.TlsRpt.Error}.", "RFC 8460 §3"));
            return new TlsRptSection([], [], o.TlsRpt.Error);
        }
        var analysis = TlsRptRecordAnalyzer.Analyze(o.TlsRpt.Records);
        findings.AddRange(analysis.Findings);
        return analysis.TlsRptRecords.Count == 0 ? null : new TlsRptSection(analysis.TlsRptRecords, analysis.Rua);
    }

    /// <summary>Names the kinds of address that were refused, never the addresses: they may be internal DNS answers.</summary>
    private static Finding Blocked(string host, IReadOnlyList<System.Net.IPAddress> addresses) =>
        new(FindingCodes.NetAddressBlocked, Severity.Error, host,
            $"{host} resolves only to addresses that are not on the public internet ({string.Join(", ", addresses.Select(a => AddressGuard.Classify(a).Describe()).Distinct())}); the check refused to connect. Public senders cannot reach it either.",
            "RFC 8461 §3.3", $"Publish public addresses for {host}.");

    /// <summary>An address as the report (and what the monitor stores of it) shows it: a refused one only by its kind.</summary>
    private static string Shown(System.Net.IPAddress address, IReadOnlyList<System.Net.IPAddress> blocked) =>
        blocked.Contains(address) ? $"blocked: {AddressGuard.Classify(address).Describe()}" : address.ToString();

    private static void Reword(List<Finding> findings, string code, Func<string, string> reword)
    {
        var index = findings.FindIndex(f => f.Code == code);
        if (index >= 0)
            findings[index] = findings[index] with { Message = reword(findings[index].Message) };
    }

    private static PolicySection PolicySectionOf(CheckObservations o, PolicyFetchResult r, StsPolicy? policy) => new()
    {
        Url = PolicyFetcher.PolicyUrl(o.Domain, o.PolicyPort),
        Mode = policy?.Mode is { } mode ? StsPolicy.ModeName(mode) : null,
        MaxAge = policy?.MaxAge,
        Mx = policy?.Mx ?? [],
        Raw = r.Body,
        HttpStatus = r.Status,
        ContentType = r.ContentType,
        Address = r.Address.ToString(),
        Certificate = r.Certificate,
        ElapsedMs = Math.Round(r.Elapsed.TotalMilliseconds, 1),
        Error = r.Error,
    };

    private static MxHostReport MxReportOf(MxHostObservation h, StsPolicy? policy)
    {
        string? coveredBy = null;
        bool? covered = null;
        if (policy is not null && policy.Mode != StsMode.None)
        {
            coveredBy = MxPatternMatcher.FindCoveringPattern(policy.Mx.Where(MxPatternMatcher.IsValidPattern), h.Record.Host);
            covered = coveredBy is not null;
        }
        return new MxHostReport
        {
            Host = h.Record.Host,
            Preference = h.Record.Preference,
            Covered = covered,
            CoveredBy = coveredBy,
            Cname = h.Addresses.CanonicalName,
            Addresses = h.Addresses.Records.Select(a => Shown(a, h.Blocked)).ToList(),
            Tls = h.Probe is not { } p ? null : new TlsReport
            {
                Address = p.Address.ToString(),
                Connected = p.Connected,
                Greeting = p.Greeting,
                Starttls = p.StartTlsOffered,
                Protocol = p.Protocol,
                CipherSuite = p.CipherSuite,
                Certificate = p.Certificate,
                Error = p.Error,
            },
        };
    }
}
