using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using MonitorService.Hosting;
using MonitorService.Monitoring;
using MonitorService.Retention;
using MonitorService.Scheduling;
using MonitorService.Storage;
using MonitorService.Storage.Entities;
using MonitorService.Tests.Infrastructure;
using MonitorService.Tests.Scheduling;
using Npgsql;
using Quartz;

namespace MonitorService.Tests.Retention;

/// <summary>The prune job in the clustered scheduler, as a node registers it.</summary>
[Collection(PostgresCollection.Name)]
public class PruneHistoryJobTests(PostgresFixture postgres)
{
    [Fact]
    public async Task The_prune_job_is_one_clustered_job_never_run_twice_at_once_and_logs_what_it_deleted()
    {
        var cs = await postgres.CreateDatabaseAsync("retention_job");
        await using (var db = MonitorDb.Create(cs))
            await db.Database.MigrateAsync();
        // A year ahead: the trigger's own first run (10 minutes after "now") stays in the future, so the one run is ours.
        var clock = new ManualTimeProvider(new DateTimeOffset(DateTimeOffset.UtcNow.Date.AddYears(1), TimeSpan.Zero));
        var old = clock.GetUtcNow() - TimeSpan.FromDays(500);
        await using (var db = MonitorDb.Create(cs))
        {
            db.Outbox.Add(new OutboxMessage
            {
                Id = Guid.NewGuid(), Kind = OutboxKinds.Alert, MessageId = "old@test", Subject = "old", Mime = "Subject: old\r\n\r\nold\r\n",
                Status = OutboxStatus.Sent, CreatedAt = old, NextAttemptAt = old, SentAt = old, Recipients = ["ops@example.test"],
            });
            await db.SaveChangesAsync();
        }
        var logs = new LogCapture();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Retention:Interval"] = "02:00:00" }).Build();
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.ClearProviders().AddProvider(logs).SetMinimumLevel(LogLevel.Information);
        builder.Services.AddSingleton<TimeProvider>(clock);
        builder.Services.AddSingleton<IDomainScheduleSource>(new FakeDomainScheduleSource());
        builder.Services.AddScoped<IDomainCheckRunner>(_ => new FakeDomainCheckRunner("node", new CheckLog()));
        builder.Services
            .AddMonitorStorage(cs)
            .AddRetention(configuration)
            .AddMonitorScheduling(cs, new MonitorService.Scheduling.SchedulingOptions { InstanceId = "node", MaxConcurrentChecks = 2 })
            .AddRetentionJob();
        using var host = builder.Build();
        await host.StartAsync();
        try
        {
            var scheduler = await host.Services.GetRequiredService<ISchedulerFactory>().GetScheduler();
            Assert.True((await scheduler.GetMetadata()).JobStoreClustered);
            var job = await scheduler.GetJobDetail(PruneHistoryJob.Key);
            Assert.NotNull(job);
            Assert.True(job.ConcurrentExecutionDisallowed);
            Assert.True(job.Durable);
            var trigger = Assert.IsAssignableFrom<ISimpleTrigger>(await scheduler.GetTrigger(PruneHistoryJob.TriggerKey));
            Assert.Equal(TimeSpan.FromHours(2), trigger.RepeatInterval);

            await scheduler.TriggerJob(PruneHistoryJob.Key);
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (!logs.Entries.Any(e => e.Contains("Pruned history", StringComparison.Ordinal)) && DateTime.UtcNow < deadline)
                await Task.Delay(200);
        }
        finally
        {
            await host.StopAsync();
            NpgsqlConnection.ClearAllPools();
        }

        var pruned = Assert.Single(logs.Entries, e => e.Contains("Pruned history", StringComparison.Ordinal));
        Assert.Contains("OutboxMessages=1;", pruned, StringComparison.Ordinal);
        Assert.Contains("DeliveryAttempts=0;", pruned, StringComparison.Ordinal);
        await using (var db = MonitorDb.Create(cs))
            Assert.Empty(await db.Outbox.ToListAsync());
    }
}
