using Quartz;

namespace MonitorService.Scheduling;

/// <summary>
/// Keeps one durable job with one repeating trigger in the clustered scheduler: stored once, and its trigger replaced
/// only when the configured interval changed, so every node may call it at every start without rescheduling.
/// </summary>
public static class RecurringJob
{
    /// <summary>True when the trigger was (re)scheduled, false when it already repeated at <paramref name="interval"/>.</summary>
    /// <param name="misfire">What to do when every node was down at a fire time.</param>
    public static async Task<bool> EnsureAsync<TJob>(IScheduler scheduler, JobKey jobKey, TriggerKey triggerKey, string description,
        TimeSpan interval, DateTimeOffset firstRun, SimpleTriggerMisfireInstruction misfire, CancellationToken ct)
        where TJob : IJob
    {
        if (!await scheduler.Exists(jobKey, ct))
        {
            var job = JobBuilder.Create<TJob>().WithIdentity(jobKey).WithDescription(description).StoreDurably().Build();
            await scheduler.AddJob(job, AddJobOptions.Replacing, ct);
        }
        if (await scheduler.GetTrigger(triggerKey, ct) is ISimpleTrigger existing && existing.RepeatInterval == interval)
            return false;
        var trigger = TriggerBuilder.Create()
            .WithIdentity(triggerKey)
            .ForJob(jobKey)
            .StartAt(firstRun)
            .WithSchedule(SimpleScheduleBuilder.Create().WithInterval(interval).RepeatForever().WithMisfireInstruction(misfire))
            .Build();
        await scheduler.ScheduleTrigger(trigger, TriggerConflict.Replace, ct);
        return true;
    }
}
