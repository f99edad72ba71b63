using System.Globalization;
using MonitorService.Checks.Dns;
using MonitorService.Checks.Model;
using MonitorService.Checks.Net;
using MonitorService.Checks.Parsing;

namespace MonitorService.Checks.NameServers;

/// <summary>
/// Compares what the authoritative servers answered and says who disagrees with whom. Pure. The reference answer to a
/// question is the one most of the addresses with the newest SOA serial give (RFC 1982 order): a server behind on the
/// serial is the stale one, whatever the majority.
/// </summary>
public static class NameServerRules
{
    private const int NamesListed = 5;
    private const string ZoneRfc = "RFC 1034 §4.2.2, RFC 1996 §3, RFC 5936 §1";

    public static (NameServerSection Section, IReadOnlyList<Finding> Findings) Evaluate(NameServerObservations o)
    {
        var findings = new List<Finding>();
        if (o.Error is not null)
        {
            findings.Add(new Finding(FindingCodes.NameServerLookupFailed, Severity.Warning, o.Domain,
                $"{o.Error} The authoritative name servers of {o.Domain} were not compared; stale or lame servers go unnoticed in this check.",
                "RFC 1034 §4.2.2"));
            return (new NameServerSection { Consistent = false, Error = o.Error }, findings);
        }

        var disagreeing = new HashSet<(string Zone, string Server, string Address, AuthoritativeQuestion Question)>();
        foreach (var zone in o.Zones)
        {
            var answering = o.Answers.Where(a => a.Zone == zone.Name && !a.Lame).ToList();
            foreach (var question in zone.Questions)
            {
                var split = Disagreement(answering, question);
                if (split is null)
                    continue;
                foreach (var (answers, _) in split.Value.Others)
                    disagreeing.Add((zone.Name, answers.Server, answers.Address.ToString(), question));
                findings.Add(question.Type == AuthoritativeRecordType.Txt && question.Name.StartsWith("_mta-sts.", StringComparison.Ordinal)
                    ? StaleId(zone, question, split.Value)
                    : Inconsistent(zone, question, split.Value));
            }
        }

        findings.AddRange(Lame(o));
        findings.AddRange(Blocked(o));
        findings.AddRange(Limits(o));
        var answered = o.Answers.Where(a => !a.Lame).ToList();
        if (disagreeing.Count == 0 && answered.Count > 0)
        {
            var serials = string.Join(", ", answered.GroupBy(a => a.Zone).Select(g =>
                $"{g.Key}: serial {string.Join("/", g.Select(a => Serial(a.Serial)).Distinct(StringComparer.Ordinal))}"));
            findings.Add(new Finding(FindingCodes.NameServersConsistent, Severity.Info, o.Domain,
                $"All {answered.Select(a => a.Address).Distinct().Count()} addresses of {answered.Select(a => a.Server).Distinct(StringComparer.Ordinal).Count()} " +
                $"authoritative name servers that answered give the same answers ({serials}).", ZoneRfc));
        }
        return (Section(o, disagreeing), findings);
    }

    /// <summary>The reference answer and the addresses that give another, or null when all answering addresses agree.</summary>
    private static (string Reference, IReadOnlyList<(ZoneAnswers Answers, string Key)> Agreeing, IReadOnlyList<(ZoneAnswers Answers, string Key)> Others)?
        Disagreement(IReadOnlyList<ZoneAnswers> answering, AuthoritativeQuestion question)
    {
        var keyed = answering
            .Select(a => (Answers: a, Answer: a.Answers.FirstOrDefault(x => x.Question == question)?.Answer))
            .Where(x => x.Answer is { Status: AuthoritativeStatus.Answered })
            .Select(x => (x.Answers, Key: x.Answer!.ComparisonKey)).ToList();
        if (keyed.Select(k => k.Key).Distinct(StringComparer.Ordinal).Count() < 2)
            return null;
        var reference = ReferenceKey(keyed);
        return (reference, keyed.Where(k => k.Key == reference).ToList(), keyed.Where(k => k.Key != reference).ToList());
    }

    private static string ReferenceKey(IReadOnlyList<(ZoneAnswers Answers, string Key)> keyed)
    {
        var newest = SoaSerial.Newest(keyed.Select(k => k.Answers.Serial).OfType<uint>());
        var candidates = keyed.Where(k => k.Answers.Serial is { } s && newest.Contains(s)).ToList();
        if (candidates.Count == 0)
            candidates = keyed.ToList();
        return candidates.GroupBy(k => k.Key, StringComparer.Ordinal)
            .OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).First().Key;
    }

    private static Finding StaleId(NameServerZone zone, AuthoritativeQuestion question,
        (string Reference, IReadOnlyList<(ZoneAnswers Answers, string Key)> Agreeing, IReadOnlyList<(ZoneAnswers Answers, string Key)> Others) split)
    {
        var current = IdOf(split.Reference);
        var stale = string.Join("; ", split.Others.Select(o => $"{Where(o.Answers)} serves {IdText(IdOf(o.Key))}"));
        var good = string.Join("; ", split.Agreeing.Select(a => Where(a.Answers)));
        var staleServers = split.Others.Select(o => o.Answers.Server).Distinct(StringComparer.Ordinal).ToList();
        return new Finding(FindingCodes.NameServerStaleId, Severity.Error, string.Join(", ", staleServers),
            $"The name servers of {zone.Name} serve different MTA-STS ids at {question.Name}: {stale}; while {good} serve{(split.Agreeing.Count == 1 ? "s" : "")} " +
            $"{IdText(current)}. Senders whose resolver asks {string.Join(" or ", staleServers)} see the other id: they do not refetch the policy " +
            "and keep applying the one they cached, so the change is not published until every server serves the same id.",
            "RFC 8461 §3.1, " + ZoneRfc, FixFor(zone, split));
    }

    private static Finding Inconsistent(NameServerZone zone, AuthoritativeQuestion question,
        (string Reference, IReadOnlyList<(ZoneAnswers Answers, string Key)> Agreeing, IReadOnlyList<(ZoneAnswers Answers, string Key)> Others) split)
    {
        var groups = split.Agreeing.Concat(split.Others).GroupBy(k => k.Key, StringComparer.Ordinal)
            .OrderBy(g => g.Key == split.Reference ? 0 : 1)
            .Select(g => $"{string.Join(", ", g.Select(x => Where(x.Answers)))} answer{(g.Count() == 1 ? "s" : "")} {Records(g.Key)}");
        // What senders act on: the MX set, the TLSA pins DANE senders enforce, the policy id. The rest degrade reporting or one fetch.
        var severity = question.Type is AuthoritativeRecordType.Mx or AuthoritativeRecordType.Tlsa ? Severity.Error : Severity.Warning;
        return new Finding(FindingCodes.NameServersInconsistent, severity, question.Name,
            $"The name servers of {zone.Name} give different answers for {question}: {string.Join("; ", groups)}. " +
            "Resolvers ask any of them, so senders see one answer or the other depending on the server their resolver picked.",
            ZoneRfc, FixFor(zone, split));
    }

    /// <summary>Behind on the serial: transfer the zone again. Same serial, different data: two copies edited separately.</summary>
    private static string FixFor(NameServerZone zone,
        (string Reference, IReadOnlyList<(ZoneAnswers Answers, string Key)> Agreeing, IReadOnlyList<(ZoneAnswers Answers, string Key)> Others) split)
    {
        var newest = split.Agreeing.Select(a => a.Answers.Serial).OfType<uint>().ToList();
        var behind = split.Others.Where(o => o.Answers.Serial is { } s && newest.Any(n => SoaSerial.IsNewer(n, s)))
            .Select(o => o.Answers.Server).Distinct(StringComparer.Ordinal).ToList();
        var others = split.Others.Select(o => o.Answers.Server).Distinct(StringComparer.Ordinal).ToList();
        if (behind.Count > 0 && newest.Count > 0)
            return $"Bring {string.Join(", ", behind)} up to date: make it transfer {zone.Name} from the primary again (BIND: `rndc retransfer {zone.Name}`; " +
                   $"check that the primary sends NOTIFY to it and allows zone transfers from its address) until its SOA serial is {Serial(newest.Max())}. " +
                   $"If it should no longer serve {zone.Name}, remove its NS record from the zone and from the delegation at the registrar.";
        return $"{string.Join(", ", others)} and the other servers are not copies of the same zone version (two providers during a migration, or an edit " +
               $"without a serial increase): publish the same records on every server of {zone.Name}, raise the SOA serial, and make the secondaries transfer it; " +
               "or remove the servers you no longer use from the zone's NS records and from the delegation at the registrar.";
    }

    private static IEnumerable<Finding> Lame(NameServerObservations o)
    {
        foreach (var lookup in o.Servers.Where(s => s.Asked.Count == 0 && s.Blocked.Count == 0))
        {
            var why = lookup.Addresses.Outcome == DnsOutcome.Failed ? $"its address lookup failed ({lookup.Addresses.Error})" : "it has no address (no A or AAAA record)";
            yield return new Finding(FindingCodes.NameServerLame, Severity.Warning, lookup.Name,
                $"The name server {lookup.Name} of {ZonesOf(o, lookup.Name)} cannot be asked: {why}. Resolvers waste time on it before trying another server.",
                "RFC 1034 §4.2.2, RFC 8499 §7",
                $"Publish the address of {lookup.Name}, or remove its NS record from {ZonesOf(o, lookup.Name)} and from the delegation at the registrar.");
        }
        foreach (var a in o.Answers)
        {
            var failed = a.Lame ? [] : a.Answers.Where(x => x.Answer.Status != AuthoritativeStatus.Answered).ToList();
            if (!a.Lame && failed.Count == 0)
                continue;
            var what = a.Lame
                ? $"{a.Soa.Error} when asked for the SOA of {a.Zone}: it does not serve the zone (a lame delegation)"
                : $"answered the SOA of {a.Zone} but not {string.Join(", ", failed.Select(f => $"{f.Question} ({f.Answer.Error})"))}";
            yield return new Finding(FindingCodes.NameServerLame, Severity.Warning, a.Server,
                $"The name server {a.Server} ({a.Address}) {what}. Resolvers that pick it wait, retry another server, or fail; " +
                "lookups of the policy id, MX and TLS-RPT records get slow or fail for some senders.",
                "RFC 1034 §4.2.2, RFC 8499 §7",
                $"Load {a.Zone} on {a.Server} ({a.Address}) as a primary or a secondary that accepts queries from anywhere and answers with the AA bit; " +
                $"or remove `{a.Zone}. NS {a.Server}.` from the zone and from the delegation at the registrar.");
        }
    }

    /// <summary>Refused addresses are named by their kind only, as everywhere in reports (see <c>NET_ADDRESS_BLOCKED</c> in the README).</summary>
    private static IEnumerable<Finding> Blocked(NameServerObservations o) => o.Servers.Where(s => s.Blocked.Count > 0).Select(s =>
        new Finding(FindingCodes.NetAddressBlocked, Severity.Warning, s.Name,
            $"The name server {s.Name} resolves to addresses that are not on the public internet ({string.Join(", ", Kinds(s.Blocked))}); " +
            "the check did not contact them. Resolvers on the internet cannot reach them either.",
            "RFC 6890", $"Publish only public addresses for {s.Name}, or remove it from the NS records of {ZonesOf(o, s.Name)}."));

    private static IEnumerable<string> Kinds(IEnumerable<System.Net.IPAddress> addresses) =>
        addresses.Select(a => AddressGuard.Classify(a).Describe()).Distinct(StringComparer.Ordinal);

    private static IEnumerable<Finding> Limits(NameServerObservations o)
    {
        if (o.ServersLeftOut.Count > 0)
            yield return new Finding(FindingCodes.CheckLimited, Severity.Info, o.Domain,
                $"The zones of {o.Domain} name {o.Servers.Count + o.ServersLeftOut.Count} name servers; the check asked the first {o.Servers.Count} and left out " +
                $"{o.ServersLeftOut.Count}: {string.Join(", ", o.ServersLeftOut.Take(NamesListed))}{(o.ServersLeftOut.Count > NamesListed ? ", ..." : "")}. " +
                "Whether they serve the same records was not checked.", "RFC 1034 §4.2.2");
        foreach (var s in o.Servers.Where(s => s.AddressesLeftOut > 0))
            yield return new Finding(FindingCodes.CheckLimited, Severity.Info, s.Name,
                $"The name server {s.Name} has {s.Asked.Count + s.AddressesLeftOut} usable addresses; the check asked {s.Asked.Count} and left out {s.AddressesLeftOut}.",
                "RFC 1034 §4.2.2");
        if (o.MxHostsLeftOut > 0)
            yield return new Finding(FindingCodes.CheckLimited, Severity.Info, o.Domain,
                $"The TLSA records of {o.MxHostsLeftOut} MX hosts inside the zone were not compared between name servers (past the MX host cap).", "RFC 7672 §2.2");
    }

    private static NameServerSection Section(NameServerObservations o, HashSet<(string Zone, string Server, string Address, AuthoritativeQuestion Question)> disagreeing) => new()
    {
        Consistent = disagreeing.Count == 0,
        Zones = o.Zones.Select(z => new NameServerZoneReport(z.Name, z.Servers)).ToList(),
        NotAsked = o.ServersLeftOut,
        Servers = o.Servers.Select(s => new NameServerReport
        {
            Name = s.Name,
            Addresses = s.Addresses.Records.Select(a => s.Blocked.Contains(a) ? $"blocked: {AddressGuard.Classify(a).Describe()}" : a.ToString()).ToList(),
            Blocked = Kinds(s.Blocked).ToList(),
            Error = s.Addresses.Outcome == DnsOutcome.Failed ? s.Addresses.Error : s.Asked.Count == 0 && s.Blocked.Count == 0 ? "no address" : null,
            Answers = o.Answers.Where(a => a.Server == s.Name).Select(a => new NameServerAddressReport
            {
                Zone = a.Zone,
                Address = a.Address.ToString(),
                Status = StatusText(a.Soa.Status),
                SoaSerial = a.Serial,
                Error = a.Soa.Error,
                Agrees = !disagreeing.Any(d => d.Zone == a.Zone && d.Server == a.Server && d.Address == a.Address.ToString()),
                Answers = a.Answers.Select(x => new NameServerAnswerReport(x.Question.ToString(), AnswerText(x.Answer), Clip(x.Answer.Records),
                    !disagreeing.Contains((a.Zone, a.Server, a.Address.ToString(), x.Question)))).ToList(),
            }).ToList(),
        }).ToList(),
    };

    /// <summary>Records per answer, and characters per record, a report keeps (comparison uses them whole).</summary>
    internal const int MaxRecordsShown = 5, MaxRecordChars = 256;

    /// <summary>
    /// A hostile zone can answer every question of every address with 64 KiB of TXT: the report (stored for every
    /// change) keeps the first few records, each cut short, and says how many were left out.
    /// </summary>
    private static IReadOnlyList<string> Clip(IReadOnlyList<string> records)
    {
        var shown = records.Take(MaxRecordsShown).Select(r => r.Length <= MaxRecordChars ? r : $"{r[..MaxRecordChars]}… ({r.Length} characters)").ToList();
        if (records.Count > MaxRecordsShown)
            shown.Add($"… {records.Count - MaxRecordsShown} more records");
        return shown;
    }

    private static string StatusText(AuthoritativeStatus status) => status switch
    {
        AuthoritativeStatus.Answered => "answered",
        AuthoritativeStatus.NoAnswer => "no answer",
        AuthoritativeStatus.Refused => "refused",
        AuthoritativeStatus.NotAuthoritative => "not authoritative",
        _ => "failed",
    };

    private static string AnswerText(AuthoritativeAnswer answer) => answer.Status != AuthoritativeStatus.Answered
        ? StatusText(answer.Status)
        : answer.Records.Count > 0 ? "records" : answer.NoSuchName ? "no such name" : "no record";

    private static string Where(ZoneAnswers a) => $"{a.Server} ({a.Address}, SOA serial {Serial(a.Serial)})";

    private static string Serial(uint? serial) => serial?.ToString(CultureInfo.InvariantCulture) ?? "unknown";

    private static string Records(string key) => key.Length == 0 ? "no record" : string.Join(", ", Clip(key.Split('\n')).Select(r => $"\"{r}\""));

    private static string? IdOf(string key) => key.Length == 0 ? null : StsTxtRecordAnalyzer.Analyze(key.Split('\n')).Id;

    private static string IdText(string? id) => id is null ? "no valid MTA-STS record" : $"id \"{id}\"";

    private static string ZonesOf(NameServerObservations o, string server) =>
        string.Join(" and ", o.Zones.Where(z => z.Servers.Contains(server)).Select(z => z.Name));
}
