using System.Security.Cryptography;
using System.Text;
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
/// Builds a team's digest and queues it in the outbox, one message per reader (<see cref="DigestAudience"/>). The
/// weekly one carries a dedup key per reader (team, week and reader), so however many nodes or restarts fire the
/// schedule, each reader gets one digest a week.
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

    /// <summary>
    /// The scheduled digests of the week <paramref name="scheduledAt"/> falls in, for the readers who do not have theirs
    /// yet; empty when every reader has (or there are none).
    /// </summary>
    public async Task<IReadOnlyList<OutboxMessage>> QueueWeeklyAsync(Guid teamId, DateTimeOffset scheduledAt, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var team = await db.Teams.AsNoTracking().FirstOrDefaultAsync(t => t.Id == teamId, ct);
        if (team is null || !team.DigestEnabled)
            return [];
        var week = TeamMailSettings.For(team, options.Value).WeekOf(scheduledAt);
        var weekKey = $"digest:{team.Id:N}:{week:yyyy-MM-dd}";
        var queued = await db.Outbox.Where(m => m.DedupKey != null && (m.DedupKey == weekKey || m.DedupKey.StartsWith(weekKey + ":")))
            .Select(m => m.DedupKey!).ToListAsync(ct);
        // The key without a reader is an earlier version's one digest for everybody: that week is done.
        if (queued.Contains(weekKey))
            return [];
        var messages = await QueueAsync(db, team, reader => $"{weekKey}:{ReaderKey(reader)}", queued.ToHashSet(StringComparer.Ordinal), ct);
        if (messages.Count == 0)
        {
            logger.LogDebug("The digests of team {Team} for the week of {Week} are queued already", team.Name, week);
            return [];
        }
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e) when (e.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            // Another node queued them a moment ago (all or none: one transaction).
            logger.LogDebug("The digests of team {Team} for the week of {Week} were queued by another node", team.Name, week);
            return [];
        }
        logger.LogInformation("Queued {Count} weekly digests of team {Team} for the week of {Week}", messages.Count, team.Name, week);
        return messages;
    }

    /// <summary>A digest now, outside the schedule ("digest send"): one message per reader.</summary>
    public async Task<IReadOnlyList<OutboxMessage>> QueueNowAsync(Team team, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var messages = await QueueAsync(db, team, _ => null, new HashSet<string>(), ct);
        if (messages.Count == 0)
            throw new DigestRequestException($"Team {team.Name} has no digest recipients: add recipients to its domains or set digest recipients.");
        await db.SaveChangesAsync(ct);
        return messages;
    }

    private async Task<IReadOnlyList<OutboxMessage>> QueueAsync(MonitorDbContext db, Team team, Func<string, string?> dedupKey,
        IReadOnlySet<string> queuedKeys, CancellationToken ct)
    {
        var readers = (await DigestAudience.ForAsync(db, team, ct)).Where(r => dedupKey(r.Address) is not { } key || !queuedKeys.Contains(key)).ToList();
        if (readers.Count == 0)
        {
            if (queuedKeys.Count == 0)
                logger.LogWarning("No digest for team {Team}: it has no recipients", team.Name);
            return [];
        }
        var content = await builder.BuildAsync(team, time.GetUtcNow(), ct);
        var messages = new List<OutboxMessage>();
        foreach (var reader in readers)
        {
            var mine = DigestAudience.For(content, reader);
            messages.Add(outbox.Add(db, new OutgoingMail(OutboxKinds.Digest, team.Id, null, [reader.Address],
                DigestRenderer.Subject(mine), DigestRenderer.Text(mine), DigestRenderer.Html(mine), dedupKey(reader.Address))));
        }
        return messages;
    }

    /// <summary>A reader's part of the dedup key: bounded in length whatever the address, the same however it is capitalised.</summary>
    private static string ReaderKey(string address) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(address.ToLowerInvariant())));
}
