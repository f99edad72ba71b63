using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using MonitorService.Digest;
using MonitorService.Tests.Alerts;
using MonitorService.Tests.Infrastructure;
using static MonitorService.Testing.CheckEnvironment;

namespace MonitorService.Tests.Digest;

/// <summary>
/// The weekly digest's risk sections — certificates expiring within 30 days, a policy left in testing mode for more
/// than 4 weeks — from real checks against the loopback servers, read in the mail the team receives.
/// </summary>
[Collection(PostgresCollection.Name)]
public class DigestSectionTests(PostgresFixture postgres)
{
    private const string TestingAdvice = "senders do not enforce the policy; move to enforce once TLS reports are clean.";

    /// <summary>Times as the digest shows them.</summary>
    private static string Utc(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Queues the ops team's digest now, delivers the outbox (alerts too) and returns the digest as received.</summary>
    private static async Task<MimeMessage> DigestAsync(MailTestKit kit)
    {
        var before = kit.Mail.Messages.Count;
        var digests = kit.Harness.Services.GetRequiredService<DigestService>();
        await digests.QueueNowAsync(await digests.TeamAsync("ops", CancellationToken.None), CancellationToken.None);
        var run = await kit.Delivery.DeliverAsync(true, CancellationToken.None);
        Assert.Equal(0, run.Retrying + run.Failed);
        var received = kit.Mail.Messages.Skip(before).Select(MailTestKit.Parse).ToList();
        return Assert.Single(received, m => m.Subject is { } subject && subject.StartsWith("[MonitorService] Weekly MTA-STS digest for ops", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Certificates_expiring_within_30_days_are_listed_with_host_and_date_and_only_those()
    {
        await using var kit = await MailTestKit.StartAsync(postgres, "digest_certificates");
        var h = kit.Harness;
        var id = await h.AddDomainAsync();
        await h.CheckAsync(id);
        var healthy = await DigestAsync(kit);
        foreach (var body in new[] { healthy.TextBody!, healthy.HtmlBody! })
            Assert.DoesNotContain("Certificate of", body, StringComparison.Ordinal);

        // mx2 and the policy host are renewed late; mx1 has a while yet.
        var mx1 = h.Env.Ca.IssueLeafExpiringIn(TimeSpan.FromDays(45), Mx1);
        var mx2 = h.Env.Ca.IssueLeafExpiringIn(TimeSpan.FromDays(20), Mx2);
        var policyHost = h.Env.Ca.IssueLeafExpiringIn(TimeSpan.FromDays(25), PolicyHost);
        h.Env.Smtp.SetCertificate(Mx1, mx1);
        h.Env.Smtp.SetCertificate(Mx2, mx2);
        h.Env.Https.SetCertificate(PolicyHost, policyHost);
        h.Clock.Advance(TimeSpan.FromHours(1));
        await h.CheckAsync(id);
        var mail = await DigestAsync(kit);

        var text = mail.TextBody!.ReplaceLineEndings("\n");
        var mx2Line = $"   Certificate of {Mx2} expires {Utc(mx2.NotAfter)}\n";
        var policyLine = $"   Certificate of {PolicyHost} expires {Utc(policyHost.NotAfter)}\n";
        Assert.Contains(mx2Line, text, StringComparison.Ordinal);
        Assert.Contains(policyLine, text, StringComparison.Ordinal);
        Assert.True(text.IndexOf(mx2Line, StringComparison.Ordinal) < text.IndexOf(policyLine, StringComparison.Ordinal), "soonest first");
        Assert.DoesNotContain($"Certificate of {Mx1}", text, StringComparison.Ordinal);
        Assert.Equal(2, System.Text.RegularExpressions.Regex.Count(text, "Certificate of "));

        var html = mail.HtmlBody!;
        Assert.Contains($"<li>Certificate of {Mx2} expires <b>{Utc(mx2.NotAfter)}</b></li>", html, StringComparison.Ordinal);
        Assert.Contains($"<li>Certificate of {PolicyHost} expires <b>{Utc(policyHost.NotAfter)}</b></li>", html, StringComparison.Ordinal);
        Assert.DoesNotContain($"Certificate of {Mx1}", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_policy_in_testing_mode_for_more_than_4_weeks_is_flagged_from_when_it_went_to_testing()
    {
        await using var kit = await MailTestKit.StartAsync(postgres, "digest_testing");
        var h = kit.Harness;
        var id = await h.AddDomainAsync();
        await h.CheckAsync(id);                                   // enforce at first
        h.Clock.Advance(TimeSpan.FromDays(10));
        h.Env.Https.SetResponse(PolicyHost, PolicyResponse.Policy("testing", 604800, Mx1, Mx2));
        h.Env.Zone.Remove($"_mta-sts.{Domain}", "TXT");
        h.Env.Zone.AddTxt($"_mta-sts.{Domain}", "v=STSv1; id=20260301");
        var testingSince = h.Clock.GetUtcNow();
        await h.CheckAsync(id);

        // Four weeks less a day later, still testing: not flagged yet.
        h.Clock.Advance(TimeSpan.FromDays(27));
        await h.CheckAsync(id);
        var early = await DigestAsync(kit);
        Assert.Contains("mode testing", early.TextBody, StringComparison.Ordinal);
        foreach (var body in new[] { early.TextBody!, early.HtmlBody! })
            Assert.DoesNotContain("mode since", body, StringComparison.Ordinal);

        // Two days on it is more than four weeks, counted from the switch to testing, not from the first check.
        h.Clock.Advance(TimeSpan.FromDays(2));
        await h.CheckAsync(id);
        var late = await DigestAsync(kit);
        Assert.Contains($"   In testing mode since {Utc(testingSince)}: {TestingAdvice}\n", late.TextBody!.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Contains($"<li>In <b>testing</b> mode since {Utc(testingSince)}: {TestingAdvice}</li>", late.HtmlBody, StringComparison.Ordinal);

        // Moving to enforce ends it.
        h.Clock.Advance(TimeSpan.FromHours(1));
        h.Env.Https.SetResponse(PolicyHost, PolicyResponse.Ok(HealthyPolicy));
        h.Env.Zone.Remove($"_mta-sts.{Domain}", "TXT");
        h.Env.Zone.AddTxt($"_mta-sts.{Domain}", "v=STSv1; id=20260401");
        await h.CheckAsync(id);
        var enforced = await DigestAsync(kit);
        Assert.Contains("mode enforce", enforced.TextBody, StringComparison.Ordinal);
        foreach (var body in new[] { enforced.TextBody!, enforced.HtmlBody! })
            Assert.DoesNotContain("mode since", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_policy_rolled_back_to_an_earlier_testing_version_counts_from_the_rollback()
    {
        await using var kit = await MailTestKit.StartAsync(postgres, "digest_testing_rollback");
        var h = kit.Harness;
        var testing = PolicyResponse.Policy("testing", 604800, Mx1, Mx2);
        void Publish(PolicyResponse policy, string txtId)
        {
            h.Env.Https.SetResponse(PolicyHost, policy);
            h.Env.Zone.Remove($"_mta-sts.{Domain}", "TXT");
            h.Env.Zone.AddTxt($"_mta-sts.{Domain}", $"v=STSv1; id={txtId}");
        }

        Publish(testing, "20260101");
        var id = await h.AddDomainAsync();
        await h.CheckAsync(id);                                    // testing
        h.Clock.Advance(TimeSpan.FromDays(20));
        Publish(PolicyResponse.Ok(HealthyPolicy), "20260120");
        await h.CheckAsync(id);                                    // enforce
        h.Clock.Advance(TimeSpan.FromDays(1));
        Publish(testing, "20260101");                              // rolled back: the old files, the old id
        var rolledBack = h.Clock.GetUtcNow();
        await h.CheckAsync(id);

        // Nine days after the rollback (30 after the first check): in testing for nine days, not for four weeks.
        h.Clock.Advance(TimeSpan.FromDays(9));
        await h.CheckAsync(id);
        var mail = await DigestAsync(kit);
        Assert.Contains("mode testing", mail.TextBody, StringComparison.Ordinal);
        Assert.DoesNotContain("mode since", mail.TextBody, StringComparison.Ordinal);

        // Four weeks and a day after the rollback it is flagged, since the rollback.
        h.Clock.Advance(TimeSpan.FromDays(20));
        await h.CheckAsync(id);
        var late = await DigestAsync(kit);
        Assert.Contains($"In testing mode since {Utc(rolledBack)}:", late.TextBody, StringComparison.Ordinal);
    }
}
