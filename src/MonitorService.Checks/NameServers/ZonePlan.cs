using MonitorService.Checks.Dns;

namespace MonitorService.Checks.NameServers;

/// <summary>
/// Which questions go to which zone's servers. Pure. The domain's zone gets the <c>_mta-sts</c> TXT, the MX, and
/// (unless cut off into zones of their own) the TLS-RPT TXT and the policy host's addresses, plus TLSA at
/// <c>_25._tcp.&lt;host&gt;</c> for the MX hosts inside it (RFC 7672 §2.2); a zone cut at <c>mta-sts.&lt;domain&gt;</c> or
/// <c>_smtp._tls.&lt;domain&gt;</c> gets its own questions.
/// </summary>
public static class ZonePlan
{
    public static (IReadOnlyList<NameServerZone> Zones, int MxHostsLeftOut) Build(string domain, NameServerZone domainZone,
        IReadOnlyList<string>? policyHostCut, IReadOnlyList<string>? tlsRptCut, DnsAnswer<MxRecordData> mx, int maxMxHosts)
    {
        var policyHost = $"mta-sts.{domain}";
        var tlsRpt = $"_smtp._tls.{domain}";
        var cuts = new List<string>();
        var zones = new List<NameServerZone>();
        var questions = new List<AuthoritativeQuestion>
        {
            new($"_mta-sts.{domain}", AuthoritativeRecordType.Txt),
            new(domain, AuthoritativeRecordType.Mx),
        };
        if (tlsRptCut is null)
            questions.Add(new(tlsRpt, AuthoritativeRecordType.Txt));
        else
            cuts.Add(tlsRpt);
        if (policyHostCut is null)
            questions.AddRange([new(policyHost, AuthoritativeRecordType.A), new(policyHost, AuthoritativeRecordType.Aaaa)]);
        else
            cuts.Add(policyHost);

        var inZone = mx.Outcome == DnsOutcome.Found
            ? mx.Records.OrderBy(r => r.Preference).Select(r => Normalize(r.Host))
                .Where(h => h.Length > 0 && IsAtOrBelow(h, domainZone.Name) && !cuts.Any(c => IsAtOrBelow(h, c)))
                .Distinct(StringComparer.Ordinal).ToList()
            : [];
        questions.AddRange(inZone.Take(maxMxHosts).Select(h => new AuthoritativeQuestion($"_25._tcp.{h}", AuthoritativeRecordType.Tlsa)));
        zones.Add(domainZone with { Questions = questions });

        if (policyHostCut is not null)
            zones.Add(new NameServerZone(policyHost, policyHostCut,
                [new(policyHost, AuthoritativeRecordType.A), new(policyHost, AuthoritativeRecordType.Aaaa)]));
        if (tlsRptCut is not null)
            zones.Add(new NameServerZone(tlsRpt, tlsRptCut, [new(tlsRpt, AuthoritativeRecordType.Txt)]));
        return (zones, Math.Max(0, inZone.Count - maxMxHosts));
    }

    internal static bool IsAtOrBelow(string name, string zone) =>
        name == zone || name.EndsWith("." + zone, StringComparison.Ordinal);

    internal static string Normalize(string name) => name.TrimEnd('.').ToLowerInvariant();
}
