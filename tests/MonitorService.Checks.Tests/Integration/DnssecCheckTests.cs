using System.Text.Json;
using MonitorService.Checks.Model;

namespace MonitorService.Checks.Tests.Integration;

/// <summary>
/// The whole engine with DNSSEC validation on, against the signed test hierarchy: every answer the check used carries
/// our verdict into the report's <c>dnssec</c> section, and broken signatures become error findings.
/// </summary>
public class DnssecCheckTests
{
    [Fact]
    public async Task A_signed_healthy_domain_has_every_answer_secure_and_no_dnssec_finding()
    {
        await using var env = (await CheckEnvironment.StartAsync()).PublishHealthyDomain();
        env.SignZones();

        var report = await env.CheckAsync();

        report.HasNoProblems();
        Assert.NotNull(report.Dnssec);
        Assert.Equal(
        [
            ("_mta-sts.example.test", "TXT"), ("example.test", "MX"), ("_smtp._tls.example.test", "TXT"),
            ("mta-sts.example.test", "A/AAAA"), (CheckEnvironment.Mx1, "A/AAAA"), (CheckEnvironment.Mx2, "A/AAAA"),
        ], report.Dnssec.Select(d => (d.Name, d.Type)));
        Assert.All(report.Dnssec, d => Assert.True(d.Status == "secure", $"{d.Name} {d.Type}: {d.Status} {d.Reason}"));
        Assert.DoesNotContain(report.Findings, f => f.Code.StartsWith("DNSSEC_", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_expired_rrsig_is_an_error_naming_the_record_and_the_time()
    {
        await using var env = (await CheckEnvironment.StartAsync()).PublishHealthyDomain();
        env.SignZones().Zone("example.test").ExpiredSince = TimeSpan.FromDays(3);

        var report = await env.CheckAsync();

        var finding = report.Single(FindingCodes.DnssecRrsigExpired, "_mta-sts.example.test");
        Assert.Equal(Severity.Error, finding.Severity);
        Assert.Contains("expired at", finding.Message);
        Assert.Contains("RFC 4035 §5.3.1", finding.Rfc);
        Assert.Contains("Re-sign the zone now", finding.Fix);
        Assert.Equal("error", report.Status);
        Assert.Equal("bogus", report.Dnssec!.Single(d => d.Name == "example.test" && d.Type == "MX").Status);
    }

    [Fact]
    public async Task A_bogus_signature_is_an_error_for_each_answer_it_breaks()
    {
        await using var env = (await CheckEnvironment.StartAsync()).PublishHealthyDomain();
        env.SignZones().Zone("example.test").CorruptSignatures = true;

        var report = await env.CheckAsync();

        Assert.Equal(6, report.Findings.Count(f => f.Code == FindingCodes.DnssecBogus && f.Severity == Severity.Error));
        Assert.Contains("does not verify", report.Single(FindingCodes.DnssecBogus, "example.test").Message);
        report.Lacks(FindingCodes.DnssecRrsigExpired);
    }

    [Fact]
    public async Task An_unsigned_domain_under_a_signed_tld_is_insecure_and_only_informed_about()
    {
        await using var env = (await CheckEnvironment.StartAsync()).PublishHealthyDomain();
        env.SignZones().AddZone("example.test", algorithm: 0);

        var report = await env.CheckAsync();

        report.HasNoProblems();
        var finding = report.Single(FindingCodes.DnssecInsecure);
        Assert.Equal(Severity.Info, finding.Severity);
        Assert.Contains("without a DS record", finding.Message);
        Assert.All(report.Dnssec!, d => Assert.Equal("insecure", d.Status));
    }

    [Fact]
    public async Task Without_validation_the_report_has_no_dnssec_section_and_its_json_no_dnssec_key()
    {
        await using var env = (await CheckEnvironment.StartAsync()).PublishHealthyDomain();

        var report = await env.CheckAsync();

        Assert.Null(report.Dnssec);
        var json = JsonSerializer.Serialize(report, new JsonSerializerOptions(JsonSerializerDefaults.Web));
        Assert.DoesNotContain("\"dnssec\"", json);
        Assert.Contains("\"dnssec\":[", JsonSerializer.Serialize(report with { Dnssec = [new DnssecNameReport("example.test", "MX", "secure", null)] },
            new JsonSerializerOptions(JsonSerializerDefaults.Web)));
    }

    [Fact]
    public async Task Validation_adds_no_second_query_for_any_answer_the_check_uses()
    {
        await using var env = (await CheckEnvironment.StartAsync()).PublishHealthyDomain();
        env.SignZones();
        string[] answerTypes = ["TXT", "MX", "A", "AAAA", "TLSA"];

        await env.CheckAsync(o => o.DnssecValidation = false);
        var plain = AnswerQueries(env, answerTypes);
        env.Dns.ClearQueries();
        var report = await env.CheckAsync();
        var validated = AnswerQueries(env, answerTypes);

        Assert.All(report.Dnssec!, d => Assert.Equal("secure", d.Status));
        // The same questions as without validation, each as often: the validator checks the answer the engine got.
        Assert.True(plain.SequenceEqual(validated),
            $"without validation {plain.Sum(q => q.Count)} answer queries: {Describe(plain)}; with validation {validated.Sum(q => q.Count)}: {Describe(validated)}");
    }

    private static List<(string Name, string Type, int Count)> AnswerQueries(CheckEnvironment env, string[] types) =>
        env.Dns.Queries.Where(q => types.Contains(q.Type))
            .GroupBy(q => (q.Name, q.Type)).Select(g => (g.Key.Name, g.Key.Type, g.Count()))
            .OrderBy(q => q.Name, StringComparer.Ordinal).ThenBy(q => q.Type, StringComparer.Ordinal).ToList();

    private static string Describe(List<(string Name, string Type, int Count)> queries) =>
        string.Join(", ", queries.Select(q => $"{q.Name} {q.Type} x{q.Count}"));
}
