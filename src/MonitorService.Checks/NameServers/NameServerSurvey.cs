using System.Net;
using MonitorService.Checks.Dns;
using MonitorService.Checks.Net;

namespace MonitorService.Checks.NameServers;

/// <summary>
/// Finds the domain's authoritative servers through the recursive resolver and asks every (guarded, capped) address
/// of every server the same questions directly. IO only; <see cref="NameServerRules"/> compares. Everything a zone
/// publishes here is attacker-controlled: NS names and their addresses pass the caps and the address guard before
/// anything is sent, and every question has its own time limit (in <see cref="IAuthoritativeQuery"/>).
/// </summary>
public sealed class NameServerSurvey(IDelegationResolver delegation, IDnsResolver dns, IAuthoritativeQuery query, AddressGuard guard, NameServerSurveySettings settings)
{
    /// <summary>
    /// How far up from the domain the zone apex is looked for (the domain, its parent, its grandparent): monitored
    /// domains are mail domains, at or just below a zone apex; each step costs one lookup's time limit.
    /// </summary>
    internal const int MaxZoneSteps = 3;

    /// <summary>Null when no delegation exists at or above the domain (nothing to compare, e.g. the domain does not exist).</summary>
    public async Task<NameServerObservations?> SurveyAsync(string domain, Task<DnsAnswer<MxRecordData>> mx, CancellationToken ct)
    {
        domain = ZonePlan.Normalize(domain);
        var (zone, error) = await FindZoneAsync(domain, ct).ConfigureAwait(false);
        if (error is not null)
            return new NameServerObservations { Domain = domain, Error = error };
        if (zone is null)
            return null;

        var policyCut = CutAsync($"mta-sts.{domain}", ct);
        var tlsRptCut = CutAsync($"_smtp._tls.{domain}", ct);
        var (zones, mxLeftOut) = ZonePlan.Build(domain, zone, await policyCut.ConfigureAwait(false), await tlsRptCut.ConfigureAwait(false),
            await mx.ConfigureAwait(false), settings.MaxMxHosts);

        var names = zones.SelectMany(z => z.Servers).Distinct(StringComparer.Ordinal).ToList();
        var asked = names.Take(settings.MaxServers).ToList();
        var lookups = await Task.WhenAll(asked.Select(name => LookUpAsync(name, ct))).ConfigureAwait(false);
        var answers = await Task.WhenAll(
            from lookup in lookups
            from address in lookup.Asked
            from z in zones
            where z.Servers.Contains(lookup.Name)
            select AskZoneAsync(z, lookup.Name, address, ct)).ConfigureAwait(false);

        return new NameServerObservations
        {
            Domain = domain,
            Zones = zones,
            Servers = lookups,
            Answers = answers,
            ServersLeftOut = names.Skip(settings.MaxServers).ToList(),
            MxHostsLeftOut = mxLeftOut,
        };
    }

    /// <summary>The closest name at or above the domain with NS records: the zone apex and its delegation.</summary>
    private async Task<(NameServerZone? Zone, string? Error)> FindZoneAsync(string domain, CancellationToken ct)
    {
        var name = domain;
        for (var step = 0; step < MaxZoneSteps && name.Contains('.', StringComparison.Ordinal); step++)
        {
            var ns = await delegation.GetNameServersAsync(name, ct).ConfigureAwait(false);
            if (ns.Outcome == DnsOutcome.Found)
                return (new NameServerZone(name, ns.Records, []), null);
            if (ns.Outcome == DnsOutcome.Failed)
                return (null, $"The NS lookup for {name} failed: {ns.Error}.");
            if (ns.NoSuchName)
                return (null, null); // nothing exists at or below the name: DOMAIN_NXDOMAIN's business, not ours
            name = name[(name.IndexOf('.', StringComparison.Ordinal) + 1)..];
        }
        return (null, null);
    }

    /// <summary>The NS records at a name below the domain's zone apex, when it is a zone of its own; null otherwise (or when unknown).</summary>
    private async Task<IReadOnlyList<string>?> CutAsync(string name, CancellationToken ct)
    {
        var ns = await delegation.GetNameServersAsync(name, ct).ConfigureAwait(false);
        return ns.Outcome == DnsOutcome.Found ? ns.Records : null;
    }

    private async Task<NameServerLookup> LookUpAsync(string name, CancellationToken ct)
    {
        var addresses = await dns.GetAddressesAsync(name, ct).ConfigureAwait(false);
        var allowed = addresses.Records.Where(guard.IsAllowed).ToList();
        var blocked = addresses.Records.Where(a => !guard.IsAllowed(a)).ToList();
        var asked = allowed.Take(settings.MaxAddressesPerServer).ToList();
        return new NameServerLookup(name, addresses, asked, blocked, allowed.Count - asked.Count);
    }

    private async Task<ZoneAnswers> AskZoneAsync(NameServerZone zone, string server, IPAddress address, CancellationToken ct)
    {
        var endPoint = new IPEndPoint(address, settings.Port);
        var soa = await query.AskAsync(endPoint, zone.SoaQuestion, ct).ConfigureAwait(false);
        if (soa.Status != AuthoritativeStatus.Answered)
            return new ZoneAnswers(zone.Name, server, address, soa, []);
        var answers = await Task.WhenAll(zone.Questions.Select(async q => new QuestionAnswer(q, await query.AskAsync(endPoint, q, ct).ConfigureAwait(false))))
            .ConfigureAwait(false);
        return new ZoneAnswers(zone.Name, server, address, soa, answers);
    }
}
