using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MonitorService.Digest;
using MonitorService.Tests.Infrastructure;
using MonitorService.Tests.Monitoring;
using static MonitorService.Tests.TlsRpt.TlsRptSeed;

namespace MonitorService.Tests.TlsRpt;

/// <summary>The weekly digest's "What senders saw" section: the week's sessions, failure rate, top result types and organisations, escaped.</summary>
[Collection(PostgresCollection.Name)]
public class TlsRptDigestTests(PostgresFixture postgres)
{
    [Fact]
    public async Task The_digest_sums_the_week_and_names_the_top_result_types_and_organisations()
    {
        await using var h = await MonitorHarness.StartAsync(postgres, "tlsrpt_digest");
        await h.AddDomainAsync();
        await h.AddDomainAsync("quiet.example.test");
        var today = DateOnly.FromDateTime(h.Clock.GetUtcNow().UtcDateTime);
        const string hostile = "<i>Evil</i>\nOrg";
        await ReportAsync(h.ConnectionString, "Google Inc.", today.AddDays(-3), Policy("Google Inc.", today.AddDays(-3), "example.test", 900, 30,
            Failure("certificate-expired", "mx1.example.test", 20), Failure("starttls-not-supported", "mx2.example.test", 10)));
        await ReportAsync(h.ConnectionString, hostile, today.AddDays(-1), Policy(hostile, today.AddDays(-1), "example.test", 60, 10, Failure("validation-failure", "mx1.example.test", 10)));
        // Outside the week (8 days ago, and today's still incomplete day): not counted.
        await ReportAsync(h.ConnectionString, "Google Inc.", today.AddDays(-8), Policy("Google Inc.", today.AddDays(-8), "example.test", 5000, 5000, Failure("certificate-expired", "mx1.example.test", 5000)));
        await ReportAsync(h.ConnectionString, "Google Inc.", today, Policy("Google Inc.", today, "example.test", 5000, 5000, Failure("certificate-expired", "mx1.example.test", 5000)));

        MonitorService.Storage.Entities.Team team;
        await using (var db = h.Db())
            team = await db.Teams.SingleAsync(t => t.Name == "ops");
        var digest = await h.Services.GetRequiredService<DigestBuilder>().BuildAsync(team, h.Clock.GetUtcNow(), CancellationToken.None);
        var senders = digest.Domains.Single(d => d.Name == "example.test").Senders;
        Assert.NotNull(senders);
        Assert.Equal((2, 960L, 40L, "4 %"), (senders.Reports, senders.Successful, senders.Failed, senders.FailureRate));
        Assert.Equal(["certificate-expired", "starttls-not-supported", "validation-failure"], senders.TopResultTypes.Select(r => r.Name));
        Assert.Equal([("Google Inc.", 30L, 930L), (hostile, 10L, 70L)], senders.TopOrganizations.Select(o => (o.Name, o.Failed, o.Sessions)));
        Assert.Null(digest.Domains.Single(d => d.Name == "quiet.example.test").Senders);

        var text = DigestRenderer.Text(digest).ReplaceLineEndings("\n");
        Assert.Contains($"   What senders saw ({today.AddDays(-7):yyyy-MM-dd} to {today.AddDays(-1):yyyy-MM-dd}): 1000 sessions, 40 failed (4 %), 2 report(s)\n", text, StringComparison.Ordinal);
        Assert.Contains("     Top result types: certificate-expired (20), starttls-not-supported (10), validation-failure (10)\n", text, StringComparison.Ordinal);
        Assert.Contains("Google Inc. (30 failed of 930), <i>Evil</i> Org (10 failed of 70)\n", text, StringComparison.Ordinal);
        var html = DigestRenderer.Html(digest);
        Assert.Contains("&lt;i&gt;Evil&lt;/i&gt;", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<i>Evil", html, StringComparison.Ordinal);
    }
}
