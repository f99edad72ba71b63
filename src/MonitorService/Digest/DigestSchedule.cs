using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MonitorService.Alerts;
using MonitorService.Mail;
using MonitorService.Scheduling;
using MonitorService.Storage;
using Quartz;

namespace MonitorService.Digest;

/// <summary>
/// Keeps the mail jobs in the clustered scheduler: outbox delivery every Alerts:DeliveryInterval, and one weekly cron trigger per team ("team-{id}" in "digests") in the clustered scheduler, in the team's time
/// zone, in step with its settings: at start and then every <see cref="ReconcileInterval"/>. Every node may run this
/// at once: writes are idempotent.
/// </summary>
public sealed class DigestSchedule(
    ISchedulerFactory schedulerFactory,
    IDbContextFactory<MonitorDbContext> dbFactory,
    IOptions<AlertOptions> options,
    IOptions<DeliveryOptions> delivery,
    TimeProvider time,
    ILogger<DigestSchedule> logger) : BackgroundService
{
    public const string TriggerGroup = "digests";
    public static readonly TimeSpan ReconcileInterval = TimeSpan.FromMinutes(1);

    public static TriggerKey TriggerFor(Guid teamId) => new($"team-{teamId:D}", TriggerGroup);

    /// <summary>Quartz cron for the weekly digest: seconds minutes hours day-of-month month day-of-week.</summary>
    public static string Cron(DayOfWeek day, TimeOnly at) =>
        string.Create(CultureInfo.InvariantCulture, $"0 {at.Minute} {at.Hour} ? * {day.ToString()[..3].ToUpperInvariant()}");

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await PassAsync(cancellationToken);
        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(ReconcileInterval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
            await PassAsync(stoppingToken);
    }

    private async Task PassAsync(CancellationToken ct)
    {
        try
        {
            await ReconcileAsync(ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogError(ex, "Could not reconcile the digest schedules with the teams");
        }
    }

    /// <returns>How many teams have a digest scheduled.</returns>
    public async Task<int> ReconcileAsync(CancellationToken ct)
    {
        var scheduler = await schedulerFactory.GetScheduler(ct);
        await EnsureJobAsync(scheduler, ct);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var teams = await db.Teams.AsNoTracking().ToListAsync(ct);
        var wanted = new HashSet<TriggerKey>();
        foreach (var team in teams.Where(t => t.DigestEnabled))
        {
            var settings = TeamMailSettings.For(team, options.Value);
            var key = TriggerFor(team.Id);
            wanted.Add(key);
            var cron = Cron(settings.DigestDay, settings.DigestTime);
            var existing = await scheduler.GetTrigger(key, ct) as ICronTrigger;
            if (existing is not null && existing.CronExpressionString == cron && existing.TimeZone.Id == settings.TimeZone.Id)
                continue;
            var trigger = TriggerBuilder.Create()
                .WithIdentity(key)
                .ForJob(SendDigestJob.Key)
                .UsingJobData(SendDigestJob.TeamIdKey, team.Id.ToString("D"))
                .WithSchedule(CronScheduleBuilder.Create(cron).InTimeZone(settings.TimeZone)
                    // Missed while every node was down: send once when one is back (the dedup key keeps it to once a week).
                    .WithMisfireInstruction(CronTriggerMisfireInstruction.FireAndProceed))
                .StartAt(time.GetUtcNow())
                .Build();
            var next = existing is null
                ? (await scheduler.ScheduleTrigger(trigger, TriggerConflict.Keep, ct)).NextFireTimeUtc
                : await scheduler.RescheduleJob(key, trigger, ct);
            logger.LogInformation("Weekly digest of team {Team}: {Day} {Time} {TimeZone}, next at {Next:o}",
                team.Name, settings.DigestDay, settings.DigestTime, settings.TimeZone.Id, next);
        }
        var stored = await scheduler.QueryTriggers(new TriggerQuery { Group = GroupMatcher<TriggerKey>.GroupEquals(TriggerGroup), Take = 10000 }, ct);
        foreach (var trigger in stored.Items.Where(t => !wanted.Contains(t.Key)))
            await scheduler.UnscheduleJob(trigger.Key, ct);
        return wanted.Count;
    }

    private async Task EnsureJobAsync(IScheduler scheduler, CancellationToken ct)
    {
        if (!await scheduler.Exists(SendDigestJob.Key, ct))
        {
            var job = JobBuilder.Create<SendDigestJob>().WithIdentity(SendDigestJob.Key).WithDescription("Weekly digest of one team").StoreDurably().Build();
            await scheduler.AddJob(job, AddJobOptions.Replacing, ct);
        }
        // The outbox delivery job lives here too: one place that keeps the mail jobs in the scheduler.
        await RecurringJob.EnsureAsync<DeliverOutboxJob>(scheduler, DeliverOutboxJob.Key, DeliverOutboxJob.TriggerKey, "Delivers queued alert and digest mail",
            delivery.Value.DeliveryInterval, time.GetUtcNow(), SimpleTriggerMisfireInstruction.NextWithRemainingCount, ct);
    }
}
