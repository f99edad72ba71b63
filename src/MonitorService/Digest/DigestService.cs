using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MonitorService.Alerts;
using MonitorService.Mail;
using MonitorService.Storage;
using MonitorService.Storage.Entities;
using Npgsql;

namespace MonitorService.Digest;

/// <summary>A request about a team's digest was refused; the message says why.</summary>
public sealed class DigestRequestException(string message) : Exception(message);

/// <summary>
/// Builds a team's digest and queues it in the outbox. The weekly one carries a dedup key (team and week), so however
/// many nodes or restarts fire the schedule, one digest per team per week is queued.
/// </summary>
public sealed class DigestService(
    IDbContextFactory<MonitorDbContext> dbFactory,
    DigestBuilder builder,
    OutboxWriter outbox,
    IOptions<AlertOptions> options,
    TimeProvider time,
    ILogger<DigestService> logger)
{
    public async Task<Team> TeamAsync(string name, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Teams.AsNoTracking().FirstOrDefaultAsync(t => t.Name == name, ct)
            ?? throw new DigestRequestException($"There is no team {name}.");
    }

    public async Task<DigestContent> BuildAsync(Team team, CancellationToken ct) => await builder.BuildAsync(team, time.GetUtcNow(), ct);

    /// <summary>The scheduled digest of the week <paramref name="scheduledAt"/> falls in; null when it was queued already (or has no recipients).</summary>
    public async Task<OutboxMessage?> QueueWeeklyAsync(Guid teamId, DateTimeOffset scheduledAt, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var team = await db.Teams.AsNoTracking().FirstOrDefaultAsync(t => t.Id == teamId, ct);
        if (team is null || !team.DigestEnabled)
            return null;
        var week = TeamMailSettings.For(team, options.Value).WeekOf(scheduledAt);
        var key = $"digest:{team.Id:N}:{week:yyyy-MM-dd}";
        if (await db.Outbox.AnyAsync(m => m.DedupKey == key, ct))
        {
            logger.LogDebug("The digest of team {Team} for the week of {Week} is queued already", team.Name, week);
            return null;
        }
        var message = await QueueAsync(db, team, key, ct);
        if (message is null)
            return null;
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e) when (e.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            // Another node queued it a moment ago.
            logger.LogDebug("The digest of team {Team} for the week of {Week} was queued by another node", team.Name, week);
            return null;
        }
        logger.LogInformation("Queued the weekly digest {MessageId} of team {Team} for the week of {Week}", message.MessageId, team.Name, week);
        return message;
    }

    /// <summary>A digest now, outside the schedule ("digest send").</summary>
    public async Task<OutboxMessage> QueueNowAsync(Team team, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var message = await QueueAsync(db, team, null, ct)
            ?? throw new DigestRequestException($"Team {team.Name} has no digest recipients: add recipients to its domains or set digest recipients.");
        await db.SaveChangesAsync(ct);
        return message;
    }

    private async Task<OutboxMessage?> QueueAsync(MonitorDbContext db, Team team, string? dedupKey, CancellationToken ct)
    {
        var recipients = team.DigestRecipients is { Count: > 0 } own
            ? own
            : (await db.Domains.AsNoTracking().Where(d => d.TeamId == team.Id).Select(d => d.Recipients).ToListAsync(ct))
                .SelectMany(r => r).Distinct(StringComparer.OrdinalIgnoreCase).Order(StringComparer.Ordinal).ToList();
        if (recipients.Count == 0)
        {
            logger.LogWarning("No digest for team {Team}: it has no recipients", team.Name);
            return null;
        }
        var content = await builder.BuildAsync(team, time.GetUtcNow(), ct);
        return outbox.Add(db, new OutgoingMail(OutboxKinds.Digest, team.Id, null, recipients,
            DigestRenderer.Subject(content), DigestRenderer.Text(content), DigestRenderer.Html(content), dedupKey));
    }
}
