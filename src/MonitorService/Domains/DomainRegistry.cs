using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MonitorService.Checks.Model;
using MonitorService.Monitoring;
using MonitorService.Scheduling;
using MonitorService.Storage;
using MonitorService.Storage.Entities;

namespace MonitorService.Domains;

/// <summary>A request to register or change a domain was refused; the message says why.</summary>
/// <summary>Whether a "check now" was granted, and if not, how long until it would be.</summary>
public sealed record CheckNowRequest(bool Granted, TimeSpan RetryAfter);

/// <summary>
/// Registers, changes and removes monitored domains, and keeps their schedules in step when a scheduler is
/// available in this process (the running service also reconciles schedules with the store periodically).
/// </summary>
public sealed class DomainRegistry(
    IDbContextFactory<MonitorDbContext> dbFactory,
    IOptions<MonitoringOptions> options,
    IOptions<DomainOptions> domainOptions,
    TimeProvider time,
    IDomainSchedule? schedule = null)
{
    public const string DefaultTeam = "default";

    /// <summary>Recipients one domain's alerts may go to.</summary>
    public const int MaxRecipients = 50;

    private readonly ManualCheckGate _checkNow = new(dbFactory, time);

    public async Task<MonitoredDomain> AddAsync(string name, string? team, TimeSpan? interval, IReadOnlyList<string>? recipients, CancellationToken ct)
    {
        var normalized = NormalizeName(name);
        var every = interval ?? options.Value.DefaultInterval;
        ValidateInterval(every);
        var addresses = ValidateRecipients(recipients ?? []);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        // The team's row is locked while its domains are counted and the new one inserted: adds racing on several
        // nodes are serialised per team, so the quota holds exactly.
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var owner = await GetOrCreateTeamAsync(db, team ?? DefaultTeam, ct);
        if (await db.Domains.AnyAsync(d => d.TeamId == owner.Id && d.Name == normalized, ct))
            throw new DomainRequestException(DomainError.AlreadyRegistered, $"{normalized} is already registered for team {owner.Name}.", "name");
        var quota = domainOptions.Value.MaxPerTeam;
        if (quota > 0 && await db.Domains.CountAsync(d => d.TeamId == owner.Id, ct) >= quota)
            throw new DomainRequestException(DomainError.QuotaReached,
                $"Team {owner.Name} has reached its quota of {quota} domains (Domains:MaxPerTeam); remove a domain or ask an operator to raise the quota.");
        var domain = new MonitoredDomain
        {
            Id = Guid.NewGuid(),
            TeamId = owner.Id,
            Name = normalized,
            IntervalSeconds = (int)every.TotalSeconds,
            Recipients = addresses,
            CreatedAt = time.GetUtcNow(),
            UpdatedAt = time.GetUtcNow(),
        };
        db.Domains.Add(domain);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        if (schedule is not null)
        {
            // The schedule stores the first check with it: now, or shortly after when many domains are added at once.
            await schedule.ScheduleAsync(new DomainScheduleEntry(domain.Id, every, domain.Enabled, NeverChecked: true), ct);
        }
        return domain;
    }

    public async Task<MonitoredDomain> UpdateAsync(Guid domainId, TimeSpan? interval, bool? enabled, IReadOnlyList<string>? recipients, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var domain = await db.Domains.FirstOrDefaultAsync(d => d.Id == domainId, ct)
            ?? throw new DomainRequestException(DomainError.NotFound, "No such domain.");
        if (interval is { } every)
        {
            ValidateInterval(every);
            domain.IntervalSeconds = (int)every.TotalSeconds;
        }
        if (enabled is { } on)
            domain.Enabled = on;
        if (recipients is not null)
            domain.Recipients = ValidateRecipients(recipients);
        domain.UpdatedAt = time.GetUtcNow();
        await db.SaveChangesAsync(ct);
        if (schedule is not null)
            await schedule.ScheduleAsync(new DomainScheduleEntry(domain.Id, TimeSpan.FromSeconds(domain.IntervalSeconds), domain.Enabled), ct);
        return domain;
    }

    /// <summary>
    /// "Check now" from the dashboard or the API: queued when the domain's last one is at least a minute old (on any
    /// node), otherwise refused with the time to wait.
    /// </summary>
    public async Task<CheckNowRequest> RequestCheckNowAsync(Guid domainId, CancellationToken ct)
    {
        var request = await _checkNow.TryGrantAsync(domainId, ct);
        if (request.Granted && schedule is not null)
            await schedule.TriggerNowAsync(domainId, ct);
        return request;
    }

    /// <summary>Removes the domain and its history. Returns false when it was not registered.</summary>
    public async Task<bool> RemoveAsync(Guid domainId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var removed = await db.Domains.Where(d => d.Id == domainId).ExecuteDeleteAsync(ct) > 0;
        if (removed && schedule is not null)
            await schedule.UnscheduleAsync(domainId, ct);
        return removed;
    }

    /// <summary>The domains of that name (one per team that registered it), optionally of one team.</summary>
    public async Task<IReadOnlyList<MonitoredDomain>> FindAsync(string name, string? team, CancellationToken ct)
    {
        var normalized = NormalizeName(name);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Domains.AsNoTracking().Include(d => d.Team)
            .Where(d => d.Name == normalized && (team == null || d.Team!.Name == team))
            .ToListAsync(ct);
    }

    /// <summary>Exactly one domain of that name, or a clear error when there is none or it is ambiguous.</summary>
    public async Task<MonitoredDomain> GetAsync(string name, string? team, CancellationToken ct)
    {
        var found = await FindAsync(name, team, ct);
        return found.Count switch
        {
            0 => throw new DomainRequestException(DomainError.NotFound, $"{NormalizeName(name)} is not registered{(team is null ? "" : $" for team {team}")}."),
            1 => found[0],
            _ => throw new DomainRequestException(DomainError.Ambiguous, $"{found[0].Name} is registered by several teams ({string.Join(", ", found.Select(d => d.Team!.Name))}); name one with --team."),
        };
    }

    public async Task<IReadOnlyList<MonitoredDomain>> ListAsync(string? team, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Domains.AsNoTracking().Include(d => d.Team)
            .Where(d => team == null || d.Team!.Name == team)
            .OrderBy(d => d.Team!.Name).ThenBy(d => d.Name)
            .ToListAsync(ct);
    }

    /// <summary>Longer input is refused before any IDN mapping (a name in Unicode is longer than its A-labels, but not this long).</summary>
    private const int MaxNameInput = 1024;

    public static string NormalizeName(string name) =>
        name.Length > MaxNameInput ? throw new DomainRequestException(DomainError.Invalid, $"Cannot register: a domain name is at most 253 characters, not {name.Length}.", "name")
        : DomainName.TryNormalize(name, out var normalized, out var error) ? normalized : throw new DomainRequestException(DomainError.Invalid, $"Cannot register: {error}.", "name");

    private void ValidateInterval(TimeSpan interval)
    {
        var minimum = options.Value.MinimumInterval;
        if (interval < minimum)
            throw new DomainRequestException(DomainError.Invalid, $"The check interval must be at least {DurationParser.Format(minimum)}, not {DurationParser.Format(interval)}.", "interval");
        if (interval > TimeSpan.FromDays(7))
            throw new DomainRequestException(DomainError.Invalid, $"The check interval must be at most 7 days, not {interval}.", "interval");
    }

    private static List<string> ValidateRecipients(IReadOnlyList<string> recipients)
    {
        if (recipients.Count > MaxRecipients)
            throw new DomainRequestException(DomainError.Invalid, $"At most {MaxRecipients} recipients per domain, not {recipients.Count}.", "recipients");
        var result = new List<string>();
        foreach (var recipient in recipients.Select(r => r.Trim()).Where(r => r.Length > 0))
        {
            if (!Mail.EmailAddress.TryParse(recipient, out var address))
                throw new DomainRequestException(DomainError.Invalid, $"\"{recipient}\" is not an e-mail address.", "recipients");
            result.Add(address);
        }
        return result.Distinct(StringComparer.OrdinalIgnoreCase).ToList();
    }

    private async Task<Team> GetOrCreateTeamAsync(MonitorDbContext db, string name, CancellationToken ct)
    {
        var trimmed = name.Trim();
        if (trimmed.Length is 0 or > 100)
            throw new DomainRequestException(DomainError.Invalid, "A team name is 1 to 100 characters.", "team");
        var team = (await db.Teams.FromSqlInterpolated($"SELECT * FROM teams WHERE name = {trimmed} FOR UPDATE").ToListAsync(ct)).FirstOrDefault();
        if (team is not null)
            return team;
        team = new Team { Id = Guid.NewGuid(), Name = trimmed, CreatedAt = time.GetUtcNow() };
        db.Teams.Add(team);
        return team;
    }
}
