using System.Text;
using MonitorService.Checks.Dns;
using MonitorService.Checks.Drafts;
using MonitorService.Checks.Model;

namespace MonitorService.Checks.Tests.Drafts;

/// <summary>The dry run from a constructed live report: the same rules as a check, and what only a change raises.</summary>
public class DraftEvaluatorTests
{
    private const string Domain = "example.com";
    private static readonly DateTimeOffset Now = new(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);
    private const string Published = "version: STSv1\r\nmode: enforce\r\nmx: mx1.example.com\r\nmx: mx2.example.com\r\nmax_age: 604800\r\n";

    private static CheckReport Live(string? policy = Published, string? id = "20260101") => new()
    {
        Domain = Domain,
        CheckedAt = default, // as stored: the dry run takes its own time
        Txt = new TxtSection(id is null ? [] : [$"v=STSv1; id={id}"], id),
        Policy = policy is null ? null : new PolicySection { Url = $"https://mta-sts.{Domain}/.well-known/mta-sts.txt", HttpStatus = 200, Raw = policy },
        Mx = [new MxHostReport { Host = "mx1.example.com", Preference = 10 }, new MxHostReport { Host = "mx2.example.com", Preference = 20 }],
        Findings = [],
    };

    private static IReadOnlyList<MxRecordData> Mx(params string[] hosts) => hosts.Select((h, i) => new MxRecordData((i + 1) * 10, h)).ToList();

    private static DraftReport Evaluate(string? policy, IReadOnlyList<MxRecordData>? mx, CheckReport? live = null) =>
        DraftEvaluator.Evaluate(live ?? Live(), new PolicyDraft(policy, mx), Now);

    private static string Body(params string[] mx) => "version: STSv1\nmode: enforce\n" + string.Concat(mx.Select(m => $"mx: {m}\n")) + "max_age: 604800\n";

    [Fact]
    public void A_draft_missing_the_new_mx_is_a_coverage_error_and_cached_senders_would_refuse_it_too()
    {
        var report = Evaluate(Body("mx1.example.com", "mx2.example.com", "mx4.example.net"), Mx("mx3.example.net"));

        var mismatch = Assert.Single(report.Findings, f => f.Code == FindingCodes.MxMismatch);
        Assert.Equal((Severity.Error, "mx3.example.net"), (mismatch.Severity, mismatch.Subject));
        var cached = Assert.Single(report.Findings, f => f.Code == DraftCodes.CachedPolicyRefuses);
        Assert.Equal(Severity.Error, cached.Severity);
        Assert.Contains("id \"20260101\", mode enforce, mx: mx1.example.com, mx2.example.com; max_age 604800 s) would refuse to deliver to mx3.example.net", cached.Message, StringComparison.Ordinal);
        Assert.Equal("error", report.Status);
        var host = Assert.Single(report.Mx);
        Assert.Equal(("mx3.example.net", true, false), (host.Host, host.Hypothetical, host.Covered));
    }

    [Fact]
    public void A_draft_covering_old_and_new_needs_a_new_id_and_says_the_exact_record()
    {
        var report = Evaluate(Body("mx1.example.com", "mx2.example.com", "mx3.example.net"), Mx("mx3.example.net"));

        Assert.DoesNotContain(report.Findings, f => f.Code == FindingCodes.MxMismatch);
        Assert.True(report.NewIdNeeded);
        Assert.Equal("_mta-sts.example.com TXT \"v=STSv1; id=20261130T120000\"", report.TxtRecord);
        var newId = Assert.Single(report.Findings, f => f.Code == DraftCodes.NewIdNeeded);
        Assert.Equal(Severity.Warning, newId.Severity);
        Assert.Contains("differs from the policy published under id \"20260101\"", newId.Message, StringComparison.Ordinal);
        Assert.EndsWith("2. Then, once it is served, publish the new id: _mta-sts.example.com TXT \"v=STSv1; id=20261130T120000\"", newId.Fix, StringComparison.Ordinal);
        Assert.Equal(("mx3.example.net", true), (report.Mx[0].CoveredBy, report.Mx[0].Covered!.Value));
        // The draft is fine; switching MX now would not be: senders still hold the current policy.
        Assert.Single(report.Findings, f => f.Code == DraftCodes.CachedPolicyRefuses);
        Assert.DoesNotContain(report.Findings, f => f.Code == DraftCodes.LiveMxNotCovered);
    }

    [Fact]
    public void The_published_policy_again_is_unchanged_whatever_its_line_endings()
    {
        var report = Evaluate(Published.Replace("\r\n", "\n", StringComparison.Ordinal), null);

        Assert.False(report.NewIdNeeded);
        Assert.Null(report.TxtRecord);
        Assert.Equal(DraftCodes.Unchanged, Assert.Single(report.Findings, f => f.Code.StartsWith("DRAFT_", StringComparison.Ordinal)).Code);
        Assert.Equal([true, true], report.Mx.Select(m => m.Covered!.Value));
        Assert.False(report.Mx[0].Hypothetical);
    }

    [Fact]
    public void A_syntax_error_in_the_draft_is_the_parser_finding_of_a_real_check()
    {
        var report = Evaluate("version: STSv1\nmode enforce\nmx: mx1.example.com\nmax_age: 604800\n", null);

        Assert.Contains(report.Findings, f => f.Code == FindingCodes.PolicySyntax && f.Severity == Severity.Error);
        Assert.Contains(report.Findings, f => f.Code == FindingCodes.PolicyMode);
        Assert.False(report.Draft!.Usable);
        Assert.Equal("error", report.Status);
        Assert.All(report.Mx, m => Assert.Null(m.Covered));
    }

    [Fact]
    public void Wildcards_cover_exactly_one_label_as_in_a_check()
    {
        var report = Evaluate(Body("*.example.net"), Mx("mx3.example.net", "a.b.example.net", "example.net"));

        Assert.Equal([true, false, false], report.Mx.Select(m => m.Covered!.Value));
        Assert.Equal("*.example.net", report.Mx[0].CoveredBy);
        Assert.Equal(["a.b.example.net", "example.net"], report.Findings.Where(f => f.Code == FindingCodes.MxMismatch).Select(f => f.Subject));
    }

    [Fact]
    public void A_final_draft_published_before_the_switch_would_drop_the_live_hosts()
    {
        var report = Evaluate(Body("mx3.example.net"), Mx("mx3.example.net"));

        var dropped = Assert.Single(report.Findings, f => f.Code == DraftCodes.LiveMxNotCovered);
        Assert.Equal("mx1.example.com, mx2.example.com", dropped.Subject);
    }

    [Fact]
    public void Only_a_hypothetical_mx_set_is_judged_against_the_published_policy()
    {
        var report = Evaluate(null, Mx("mx1.example.com", "mx3.example.net"));

        Assert.Null(report.Draft);
        Assert.False(report.NewIdNeeded);
        Assert.Equal(["mx3.example.net"], report.Findings.Where(f => f.Code == FindingCodes.MxMismatch).Select(f => f.Subject));
        Assert.Equal("mx3.example.net", Assert.Single(report.Findings, f => f.Code == DraftCodes.CachedPolicyRefuses).Subject);
    }

    [Fact]
    public void Under_testing_cached_senders_would_only_report()
    {
        var live = Live(Published.Replace("enforce", "testing", StringComparison.Ordinal));

        var cached = Assert.Single(Evaluate(null, Mx("mx3.example.net"), live).Findings, f => f.Code == DraftCodes.CachedPolicyRefuses);

        Assert.Equal(Severity.Warning, cached.Severity);
        Assert.Contains("would report failures", cached.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_a_published_policy_the_draft_needs_a_record()
    {
        var report = Evaluate(Body("mx1.example.com", "mx2.example.com"), null, Live(policy: null, id: null));

        Assert.True(report.NewIdNeeded);
        Assert.Contains("No valid _mta-sts record is published", Assert.Single(report.Findings, f => f.Code == DraftCodes.NewIdNeeded).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Drafts_are_bounded_and_must_say_something()
    {
        Assert.Contains("larger than 64 KiB", new PolicyDraft(new string('x', PolicyDraft.MaxPolicyBytes + 1), null).Problem(), StringComparison.Ordinal);
        Assert.Null(new PolicyDraft(new string('x', PolicyDraft.MaxPolicyBytes), null).Problem());
        // Bytes, not characters: 32,769 two-byte characters are over the limit.
        Assert.NotNull(new PolicyDraft(new string('é', PolicyDraft.MaxPolicyBytes / 2 + 1), null).Problem());
        Assert.NotNull(new PolicyDraft(null, null).Problem());
        Assert.Throws<ArgumentException>(() => DraftEvaluator.Evaluate(Live(), new PolicyDraft(null, null), Now));
        Assert.Equal(PolicyDraft.MaxPolicyBytes + 2, Encoding.UTF8.GetByteCount(new string('é', PolicyDraft.MaxPolicyBytes / 2 + 1)));
    }

    [Fact]
    public void A_64_KiB_draft_of_bad_lines_gives_a_bounded_report()
    {
        var junk = string.Concat(Enumerable.Repeat("no colon here\n", PolicyDraft.MaxPolicyBytes / 14));

        var report = Evaluate(junk, null);

        Assert.True(report.Findings.Count < 100, $"{report.Findings.Count} findings");
    }
}
