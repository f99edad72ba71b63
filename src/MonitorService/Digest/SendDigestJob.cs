using Quartz;

namespace MonitorService.Digest;

/// <summary>
/// Queues one team's weekly digests (the team id is in the trigger). Safe to fire more than once per week, on any node:
/// each reader's dedup key lets one through.
/// </summary>
public sealed class SendDigestJob(DigestService digests, ILogger<SendDigestJob> logger) : IJob
{
    public const string TeamIdKey = "teamId";
    public static readonly JobKey Key = new("send-digest", "digests");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(context.MergedJobDataMap.GetString(TeamIdKey), out var teamId))
        {
            logger.LogError("Digest trigger {Trigger} names no team", context.Trigger.Key);
            return;
        }
        try
        {
            await digests.QueueWeeklyAsync(teamId, context.ScheduledFireTimeUtc ?? context.FireTimeUtc, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogError(ex, "Could not queue the weekly digest of team {TeamId}", teamId);
        }
    }
}
