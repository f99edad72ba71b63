using Microsoft.Extensions.DependencyInjection;
using MonitorService.Domains;
using MonitorService.Tests.Infrastructure;
using MonitorService.Tests.Monitoring;

namespace MonitorService.Tests.Domains;

/// <summary>
/// What one team can make the cluster do, enforced in the shared database so that it holds across nodes: "check now"
/// once a minute per domain, and a quota of domains per team.
/// </summary>
[Collection(PostgresCollection.Name)]
public class DomainLimitsTests(PostgresFixture postgres)
{
    [Fact]
    public async Task Check_now_is_granted_once_a_minute_per_domain_across_nodes()
    {
        await using var harness = await MonitorHarness.StartAsync(postgres, "domains_check_now");
        await using var otherNode = harness.AddNode();
        var otherRegistry = otherNode.GetRequiredService<DomainRegistry>();
        var domain = await harness.AddDomainAsync();
        var unrelated = await harness.AddDomainAsync("www.example.test");

        // Ten requests at once, half on each node: exactly one is granted.
        var requests = await Task.WhenAll(Enumerable.Range(0, 10).Select(i =>
            (i % 2 == 0 ? harness.Registry : otherRegistry).RequestCheckNowAsync(domain, CancellationToken.None)));
        Assert.Single(requests, r => r.Granted);
        Assert.All(requests.Where(r => !r.Granted), r => Assert.Equal(TimeSpan.FromMinutes(1), r.RetryAfter));
        Assert.True((await otherRegistry.RequestCheckNowAsync(unrelated, CancellationToken.None)).Granted);

        harness.Clock.Advance(TimeSpan.FromSeconds(59));
        var early = await otherRegistry.RequestCheckNowAsync(domain, CancellationToken.None);
        Assert.False(early.Granted);
        Assert.Equal(TimeSpan.FromSeconds(1), early.RetryAfter);
        harness.Clock.Advance(TimeSpan.FromSeconds(1));
        Assert.True((await otherRegistry.RequestCheckNowAsync(domain, CancellationToken.None)).Granted);
        Assert.False((await harness.Registry.RequestCheckNowAsync(domain, CancellationToken.None)).Granted);
    }

    [Fact]
    public async Task Adds_on_two_nodes_at_once_never_exceed_the_team_quota()
    {
        await using var harness = await MonitorHarness.StartAsync(postgres, "domains_quota", new Dictionary<string, string?> { ["Domains:MaxPerTeam"] = "3" });
        await using var otherNode = harness.AddNode();
        var otherRegistry = otherNode.GetRequiredService<DomainRegistry>();
        await harness.Registry.AddAsync("first.example.test", "ops", null, null, CancellationToken.None); // the team exists

        var attempts = await Task.WhenAll(Enumerable.Range(0, 12).Select(async i =>
        {
            try
            {
                await (i % 2 == 0 ? harness.Registry : otherRegistry).AddAsync($"d{i}.example.test", "ops", null, null, CancellationToken.None);
                return null;
            }
            catch (DomainRequestException e) when (e.Kind == DomainError.QuotaReached)
            {
                return e.Message;
            }
        }));

        Assert.Equal(2, attempts.Count(a => a is null));
        Assert.All(attempts.OfType<string>(), m => Assert.Contains("quota of 3 domains", m, StringComparison.Ordinal));
        Assert.Equal(3, (await harness.Registry.ListAsync("ops", CancellationToken.None)).Count);
        // Removing one makes room again; another team is not affected.
        var any = (await harness.Registry.ListAsync("ops", CancellationToken.None))[0];
        await harness.Registry.RemoveAsync(any.Id, CancellationToken.None);
        await harness.Registry.AddAsync("again.example.test", "ops", null, null, CancellationToken.None);
        await harness.Registry.AddAsync("d0.example.test", "other", null, null, CancellationToken.None);
    }

    [Fact]
    public async Task A_quota_of_zero_means_unlimited()
    {
        await using var harness = await MonitorHarness.StartAsync(postgres, "domains_unlimited", new Dictionary<string, string?> { ["Domains:MaxPerTeam"] = "0" });
        for (var i = 0; i < 3; i++)
            await harness.Registry.AddAsync($"d{i}.example.test", "ops", null, null, CancellationToken.None);
        Assert.Equal(3, (await harness.Registry.ListAsync("ops", CancellationToken.None)).Count);
    }
}
