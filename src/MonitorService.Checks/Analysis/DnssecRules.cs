using MonitorService.Checks.Dns;
using MonitorService.Checks.Dnssec;
using MonitorService.Checks.Model;

namespace MonitorService.Checks.Analysis;

/// <summary>What the DNSSEC verdicts on a check's answers mean for its mail: bogus answers break delivery, the rest is information.</summary>
internal static class DnssecRules
{
    private sealed record Checked(string Name, string Type, DnssecStatus Status, string? Reason);

    /// <summary>The report's <c>dnssec</c> section; null when no answer was validated (validation off).</summary>
    public static IReadOnlyList<DnssecNameReport>? Section(CheckObservations o)
    {
        var answers = Answers(o);
        return answers.All(a => a.Status == DnssecStatus.NotValidated)
            ? null
            : answers.Select(a => new DnssecNameReport(a.Name, a.Type, a.Status.ToString().ToLowerInvariant(), a.Reason)).ToList();
    }

    public static IEnumerable<Finding> Evaluate(CheckObservations o)
    {
        var answers = Answers(o);
        foreach (var bogus in answers.Where(a => a.Status == DnssecStatus.Bogus))
            yield return DnssecReasons.IsExpiry(bogus.Reason) ? Expired(bogus) : Bogus(bogus);

        var indeterminate = answers.Where(a => a.Status == DnssecStatus.Indeterminate).ToList();
        if (indeterminate.Count > 0)
        {
            yield return new Finding(FindingCodes.DnssecIndeterminate, Severity.Info, o.Domain,
                $"DNSSEC could not be validated for {Names(indeterminate)}: {indeterminate[0].Reason}. Nothing is concluded about their signatures.",
                "RFC 4035 §4.3",
                "If the check's resolver does not pass DNSSEC records on (it must answer queries with the DO bit with RRSIGs), point Checks__Resolvers at one that does, or set Checks__DnssecValidation=false; a failed lookup clears by itself.");
        }

        // Only the answers MTA-STS and mail routing start from: the policy host and MX addresses follow from them.
        var insecure = answers.Where(a => a.Status == DnssecStatus.Insecure
            && (a.Name == $"_mta-sts.{o.Domain}" && a.Type == "TXT" || a.Name == o.Domain && a.Type == "MX")).ToList();
        if (insecure.Count > 0)
        {
            yield return new Finding(FindingCodes.DnssecInsecure, Severity.Info, o.Domain,
                $"The {Names(insecure)} answers are not signed ({insecure[0].Reason}). MTA-STS does not need DNSSEC (that is its point); DANE (RFC 7672) does, so DANE senders ignore TLSA records in unsigned zones.",
                "RFC 4035 §4.3");
        }
    }

    private static Finding Bogus(Checked a) => new(FindingCodes.DnssecBogus, Severity.Error, a.Name,
        $"DNSSEC validation of {a.Name} {a.Type} fails: {a.Reason}. Validating resolvers (most senders' resolvers, and every DANE sender) answer SERVFAIL for it, so senders cannot look it up at all.",
        "RFC 4035 §5.5",
        $"1. See what is wrong: `delv {a.Name} {a.Type}` and `dig +dnssec DNSKEY <zone>` / `dig DS <zone>` for the zone that holds {a.Name}.\n" +
        "2. Re-sign the zone with its current keys (BIND `dnssec-policy` / `rndc sign`, your DNS provider's DNSSEC setting), and make sure the DS at the parent (registrar) matches a DNSKEY the zone publishes.\n" +
        "3. If it cannot be fixed quickly, remove the DS at the registrar: an unsigned zone is delivered to, a bogus one is not (wait out the DS TTL).");

    private static Finding Expired(Checked a) => new(FindingCodes.DnssecRrsigExpired, Severity.Error, a.Name,
        $"The DNSSEC signature over {a.Name} {a.Type} has expired ({DnssecReasons.Detail(a.Reason)}). Validating resolvers answer SERVFAIL for it from that moment on: senders cannot look it up at all.",
        "RFC 4034 §3.1.5, RFC 4035 §5.3.1",
        "1. Re-sign the zone now (BIND: `rndc sign <zone>`; a DNS provider: their DNSSEC signing must be running).\n" +
        "2. Then fix the automatic re-signing: signatures must be renewed well before they expire (BIND `dnssec-policy`, OpenDNSSEC/Knot/PowerDNS signer running, cron job of `dnssec-signzone`).\n" +
        $"3. Check with `delv {a.Name} {a.Type}`: it must say \"fully validated\".");

    private static string Names(IEnumerable<Checked> answers) => string.Join(", ", answers.Select(a => $"{a.Name} {a.Type}"));

    private static List<Checked> Answers(CheckObservations o)
    {
        var list = new List<Checked>
        {
            Of($"_mta-sts.{o.Domain}", "TXT", o.StsTxt),
            Of(o.Domain, "MX", o.Mx),
            Of($"_smtp._tls.{o.Domain}", "TXT", o.TlsRpt),
            Of(o.PolicyHost, "A/AAAA", o.PolicyHostAddresses),
        };
        list.AddRange(o.MxHosts.Where(h => h.LookedUp).Select(h => Of(h.Record.Host, "A/AAAA", h.Addresses)));
        return list;
    }

    private static Checked Of<T>(string name, string type, DnsAnswer<T> answer) => new(name, type, answer.Security, answer.SecurityReason);
}
