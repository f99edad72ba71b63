using Microsoft.EntityFrameworkCore;
using MonitorService.Storage;
using MonitorService.Storage.Entities;

namespace MonitorService.Digest;

/// <summary>One reader of a team's digest: an address and the domains their copy covers (null: all of the team's).</summary>
public sealed record DigestReader(string Address, IReadOnlySet<string>? Domains);

/// <summary>
/// Who receives a team's digest, and about which domains. Every reader gets a message of their own, so no one learns
/// another reader's address. Without explicit digest recipients, the readers are the recipients of the team's domains
/// and each one's copy covers only the domains they receive alerts for: a recipient of one domain must not learn the
/// team's others. Explicit digest recipients (chosen by the team for the digest) each get the whole team.
/// </summary>
public static class DigestAudience
{
    public static async Task<IReadOnlyList<DigestReader>> ForAsync(MonitorDbContext db, Team team, CancellationToken ct)
    {
        if (team.DigestRecipients is { Count: > 0 } own)
            return own.Distinct(StringComparer.OrdinalIgnoreCase).Order(StringComparer.OrdinalIgnoreCase)
                .Select(address => new DigestReader(address, null)).ToList();
        var domains = await db.Domains.AsNoTracking().Where(d => d.TeamId == team.Id).Select(d => new { d.Name, d.Recipients }).ToListAsync(ct);
        return domains
            .SelectMany(d => d.Recipients.Select(address => (Address: address, Domain: d.Name)))
            .GroupBy(x => x.Address, StringComparer.OrdinalIgnoreCase)
            .OrderBy(g => g.Key, StringComparer.OrdinalIgnoreCase)
            .Select(g => new DigestReader(g.Key, g.Select(x => x.Domain).ToHashSet(StringComparer.Ordinal)))
            .ToList();
    }

    /// <summary>The digest as <paramref name="reader"/> receives it.</summary>
    public static DigestContent For(DigestContent team, DigestReader reader) =>
        reader.Domains is null ? team : team with { Domains = team.Domains.Where(d => reader.Domains.Contains(d.Name)).ToList() };
}
