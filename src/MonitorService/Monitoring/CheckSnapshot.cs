using MonitorService.Checks.Model;
using MonitorService.Checks.Parsing;
using MonitorService.Monitoring.Drift;
using MonitorService.Storage.Snapshots;

namespace MonitorService.Monitoring;

/// <summary>
/// Splits a report into the parts the store keeps and drift compares: MX set, TXT records, policy response,
/// TLS-RPT record, certificates, and the report itself without per-check noise. Pure; equal content gives equal
/// parts, so an unchanged domain produces an unchanged <see cref="StateHash"/>.
/// </summary>
public sealed class CheckSnapshot
{
    private CheckSnapshot(CheckReport report)
    {
        Report = report;
        PolicyFetchFailed = report.Findings.Any(f => f.Code is FindingCodes.PolicyUnreachable or FindingCodes.PolicyCertInvalid
            or FindingCodes.PolicyRedirect or FindingCodes.PolicyHttpStatus or FindingCodes.PolicyTooLarge);
        PolicyValid = report.Policy is { HttpStatus: 200, Raw: not null } && !PolicyFetchFailed;

        Mx = MxKnown(report) ? SnapshotContent.Mx(report.Mx.Select(m => new StoredMxHost(m.Preference, MxPatternMatcher.NormalizeHost(m.Host), m.Cname, m.Addresses))) : null;
        Txt = report.Txt.LookupError is null && !report.Findings.Any(f => f.Code == FindingCodes.CheckTimeout) ? SnapshotContent.Txt(report.Txt.Records) : null;
        Policy = report.Policy is { HttpStatus: not null } p
            ? SnapshotContent.Policy(new StoredPolicy(p.Url, p.HttpStatus, p.ContentType, p.Raw, p.Certificate?.Sha256Fingerprint, PolicyValid))
            : null;
        TlsRpt = report.TlsRpt is { LookupError: not null } ? null : SnapshotContent.TlsRpt(report.TlsRpt?.Records ?? []);
        Certificates = SnapshotContent.Certificates(CertificatesOf(report));
        ReportPart = SnapshotContent.Report(WithoutPerCheckNoise(report));
        StateHash = SnapshotHash.Of(string.Join('|', Parts.Select(x => x is null ? "-" : $"{x.Kind}:{x.Hash}"))
            + $"|{TxtId}|{PolicyValid}|{PolicyFetchFailed}");
    }

    public CheckReport Report { get; }
    public SnapshotPart? Mx { get; }
    public SnapshotPart? Txt { get; }
    public SnapshotPart? Policy { get; }
    public SnapshotPart? TlsRpt { get; }
    public SnapshotPart Certificates { get; }
    public SnapshotPart ReportPart { get; }
    public bool PolicyValid { get; }
    public bool PolicyFetchFailed { get; }
    public string StateHash { get; }
    public string? TxtId => Report.Txt.Id;

    public IEnumerable<SnapshotPart?> Parts => [Mx, Txt, Policy, TlsRpt, Certificates, ReportPart];

    public static CheckSnapshot Of(CheckReport report) => new(report);

    /// <summary>What drift detection compares: only what this check really established.</summary>
    public DomainState ToDomainState() => new(
        Mx is null ? null : Report.Mx.Select(m => MxPatternMatcher.NormalizeHost(m.Host)).Where(h => h.Length > 0).ToList(),
        Txt is not null,
        TxtId,
        PolicyValid ? PolicyVersionOf(Report.Policy!.Raw!) : null,
        PolicyFetchFailed,
        Mx is null ? null : DaneHostState.Of(Report))
    {
        NameServerIds = NameServerIdsOf(Report),
    };

    /// <summary>The <c>_mta-sts</c> id each authoritative server address served, from the ones that answered the question.</summary>
    private static IReadOnlyList<ServedTxtId>? NameServerIdsOf(CheckReport report)
    {
        if (report.NameServers is not { } section)
            return null;
        var question = $"_mta-sts.{report.Domain} TXT";
        return section.Servers
            .SelectMany(s => s.Answers.Select(a => (Server: s.Name, Address: a, Answer: a.Answers.FirstOrDefault(x => x.Question == question))))
            .Where(x => x.Answer is { Status: "records" or "no record" or "no such name" })
            .Select(x => new ServedTxtId(x.Server, x.Address.Address, x.Address.SoaSerial, StsTxtRecordAnalyzer.Analyze(x.Answer!.Records).Id))
            .ToList();
    }

    public static PolicyVersion PolicyVersionOf(string body) => PolicyVersion.From(body, StsPolicyParser.Parse(body).Policy);

    /// <summary>The MX set is known when the lookup answered (records, none, or a null MX).</summary>
    private static bool MxKnown(CheckReport report) =>
        !report.Findings.Any(f => f.Code == FindingCodes.CheckTimeout || (f.Code == FindingCodes.MxDnsError && f.Subject == report.Domain));

    private static IEnumerable<StoredCertificate> CertificatesOf(CheckReport report) => PresentedCertificates.Of(report)
        .Select(c => new StoredCertificate(c.Host, c.Certificate.Sha256Fingerprint, c.Certificate.DnsNames, c.Certificate.NotAfter, c.Certificate.Issuer));

    /// <summary>
    /// The report as stored: without what differs on every check although nothing changed (the time, latency,
    /// SMTP greetings, which often carry a session id, and the SOA serials of name servers that all agree: a zone
    /// re-signed by its DNSSEC signer bumps its serial daily or hourly, and each bump would start a new observation).
    /// </summary>
    private static CheckReport WithoutPerCheckNoise(CheckReport report) => report with
    {
        CheckedAt = default,
        Policy = report.Policy is null ? null : report.Policy with { ElapsedMs = null },
        Mx = report.Mx.Select(m => m.Tls is null ? m : m with { Tls = m.Tls with { Greeting = null } }).ToList(),
        NameServers = report.NameServers is { Consistent: true } agreeing ? WithoutSerials(agreeing) : report.NameServers,
    };

    private static NameServerSection WithoutSerials(NameServerSection section) => section with
    {
        Servers = section.Servers.Select(s => s with { Answers = s.Answers.Select(a => a with { SoaSerial = null }).ToList() }).ToList(),
    };
}
