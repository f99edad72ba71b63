using MonitorService.Storage.Entities;

namespace MonitorService.TlsRpt.Intake;

/// <summary>
/// Which policies of a report are about us: their policy-domain is, or is below, a registered domain name (of any
/// team); for tlsa (DANE) policies, whose policy-domain is often the MX's own name or missing, one of the MX hosts or
/// the failures' receiving MX names is. Anyone may post a report (senders have no credentials), so this is what
/// keeps strangers' reports out of the store.
/// </summary>
public static class TlsRptOwnership
{
    /// <summary>Every name whose registration would make this policy ours: the names and all their parents.</summary>
    public static IEnumerable<string> Candidates(TlsRptPolicy policy) => Names(policy).SelectMany(SelfAndParents).Distinct(StringComparer.Ordinal);

    public static bool IsOurs(TlsRptPolicy policy, IReadOnlySet<string> registered) => OwnerOf(policy, registered) is not null;

    /// <summary>
    /// The registered name the policy is shown under: the nearest registered name at or above its policy-domain, else
    /// (DANE) at or above its MX hosts; null when none is registered. A policy about mail.example.com or a DANE policy
    /// about _25._tcp.mx.example.com belongs on example.com's page when that is what is registered.
    /// </summary>
    public static string? OwnerOf(TlsRptPolicy policy, IReadOnlySet<string> registered) =>
        Names(policy).SelectMany(SelfAndParents).FirstOrDefault(registered.Contains);

    private static IEnumerable<string> Names(TlsRptPolicy policy)
    {
        if (policy.PolicyDomain is { } domain)
            yield return domain;
        if (!policy.PolicyType.Equals("tlsa", StringComparison.OrdinalIgnoreCase))
            yield break;
        foreach (var host in policy.MxHosts)
            yield return host.StartsWith("*.", StringComparison.Ordinal) ? host[2..] : host;
        foreach (var failure in policy.Failures)
        {
            if (failure.ReceivingMxHostname is { } mx)
                yield return mx;
        }
    }

    /// <summary>a.b.example.com, b.example.com, example.com (not the top-level label alone: no one registers a TLD).</summary>
    private static IEnumerable<string> SelfAndParents(string name)
    {
        var current = name;
        while (current.Contains('.'))
        {
            yield return current;
            current = current[(current.IndexOf('.') + 1)..];
        }
    }
}
