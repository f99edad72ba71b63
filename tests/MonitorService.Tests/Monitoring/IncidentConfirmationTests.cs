using Microsoft.EntityFrameworkCore;
using MonitorService.Checks.Model;
using MonitorService.Storage.Entities;
using MonitorService.Tests.Infrastructure;
using static MonitorService.Testing.CheckEnvironment;

namespace MonitorService.Tests.Monitoring;

// Slow: each confirmation check waits out the hostile fixture's time limit.
[Trait("Category", "Slow")]
[Collection(PostgresCollection.Name)]
public class IncidentConfirmationTests(PostgresFixture postgres)
{
    [Fact]
    public async Task A_transient_failure_changes_nothing_until_three_checks_confirm_it_and_retries_come_after_five_minutes()
    {
        await using var h = await MonitorHarness.StartAsync(postgres, "incident_transient");
        var id = await h.AddDomainAsync();
        await h.CheckAsync(id);
        h.Env.Smtp.SetBehavior(Mx2Ip, SmtpBehavior.NoGreeting);

        h.Clock.Advance(TimeSpan.FromHours(1));
        var first = await h.CheckAsync(id);
        await using (var db = h.Db())
        {
            Assert.Equal(DomainStatus.Ok, (await db.Domains.SingleAsync()).Status);
            var pending = await db.Incidents.SingleAsync();
            Assert.Null(pending.OpenedAt);
            Assert.Equal((FindingCodes.SmtpUnreachable, Mx2), (pending.Code, pending.Subject));
        }
        Assert.Equal(h.Clock.GetUtcNow() + TimeSpan.FromMinutes(5), first.RetryAt);
        Assert.Empty(first.Incidents.Opened);

        h.Clock.Advance(TimeSpan.FromMinutes(5));
        Assert.Empty((await h.CheckAsync(id)).Incidents.Opened);
        h.Clock.Advance(TimeSpan.FromMinutes(5));
        var third = await h.CheckAsync(id);

        var opened = Assert.Single(third.Incidents.Opened);
        Assert.Equal(FindingCodes.SmtpUnreachable, opened.Code);
        Assert.Null(third.RetryAt);
        await using (var db = h.Db())
            Assert.Equal(DomainStatus.Error, (await db.Domains.SingleAsync()).Status);
    }

    [Fact]
    public async Task A_transient_failure_that_clears_before_confirmation_leaves_no_incident()
    {
        await using var h = await MonitorHarness.StartAsync(postgres, "incident_blip");
        var id = await h.AddDomainAsync();
        h.Env.Smtp.SetBehavior(Mx2Ip, SmtpBehavior.NoGreeting);
        await h.CheckAsync(id);

        h.Env.Smtp.SetBehavior(Mx2Ip, SmtpBehavior.Normal);
        h.Clock.Advance(TimeSpan.FromMinutes(5));
        var result = await h.CheckAsync(id);

        Assert.Single(result.Incidents.Discarded);
        await using var db = h.Db();
        Assert.Empty(await db.Incidents.ToListAsync());
        Assert.Equal(DomainStatus.Ok, (await db.Domains.SingleAsync()).Status);
    }

    [Fact]
    public async Task A_lasting_problem_opens_at_once_and_closes_when_fixed()
    {
        await using var h = await MonitorHarness.StartAsync(postgres, "incident_lasting");
        var id = await h.AddDomainAsync();
        h.Env.Https.SetResponse(PolicyHost, PolicyResponse.Policy("enforce", 604800, Mx1));

        var broken = await h.CheckAsync(id);
        h.Clock.Advance(TimeSpan.FromHours(1));
        await h.CheckAsync(id);
        var lastBroken = h.Clock.GetUtcNow();
        h.Env.Https.SetResponse(PolicyHost, PolicyResponse.Policy("enforce", 604800, Mx1, Mx2));
        h.Clock.Advance(TimeSpan.FromHours(1));
        var fixedResult = await h.CheckAsync(id);

        Assert.Equal((FindingCodes.MxMismatch, Mx2), (broken.Incidents.Opened.Single().Code, broken.Incidents.Opened.Single().Subject));
        var closed = Assert.Single(fixedResult.Incidents.Closed);
        Assert.Equal(h.Clock.GetUtcNow(), closed.ClosedAt);
        await using var db = h.Db();
        var incident = await db.Incidents.SingleAsync();
        Assert.Equal(lastBroken, incident.LastSeenAt); // the last check that saw it, though not written then
        Assert.Equal(DomainStatus.Ok, (await db.Domains.SingleAsync()).Status);
    }
}
