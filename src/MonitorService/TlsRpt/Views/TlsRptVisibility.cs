using MonitorService.Storage;
using MonitorService.Storage.Entities;

namespace MonitorService.TlsRpt.Views;

/// <summary>
/// Which stored reports a team sees for its registration of a domain. Anyone can register any name, so the name
/// alone cannot say whose reports they are (they list a partner's whole sending infrastructure); where senders send
/// them can, because only the domain's owner publishes its TLS-RPT record. A team sees:
/// <list type="bullet">
/// <item>reports received at its own address (<see cref="Team.TlsRptKey"/>), and</item>
/// <item>reports received at the shared address, only while no other team has registered the same name — the
/// single-team installation keeps working without keys, and a second registration hides them from both (each team
/// is told to publish its own address) instead of showing one team's reports to another.</item>
/// </list>
/// The one rule behind the page, the API, the CLI, the digest and the alerts: LINQ and SQL say the same below.
/// </summary>
public static class TlsRptVisibility
{
    public static IQueryable<TlsRptPolicy> VisibleTo(this IQueryable<TlsRptPolicy> policies, MonitorDbContext db, MonitoredDomain domain)
    {
        var team = domain.TeamId;
        var name = domain.Name;
        return policies.Where(p => p.DeliveredToTeams.Contains(team) || (p.ViaSharedAddress && db.Domains.Count(d => d.Name == name) == 1));
    }

    /// <summary>The same rule for raw SQL over <c>tlsrpt_policies</c> aliased <c>p</c>, with parameters <c>@team</c> and <c>@domain</c>.</summary>
    public const string SqlCondition =
        "(@team = ANY(p.delivered_to_teams) OR (p.via_shared_address AND (SELECT count(*) FROM domains d WHERE d.name = @domain) = 1))";
}
