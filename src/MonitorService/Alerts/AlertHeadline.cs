using MonitorService.Checks.Model;
using MonitorService.Monitoring.Drift;

namespace MonitorService.Alerts;

/// <summary>
/// The few words after the domain in the subject: the worst new problem, counted by topic, so that a drift event and
/// the incident it opens for the same host read as one ("2 MX hosts not covered by the MTA-STS policy").
/// </summary>
public static class AlertHeadline
{
    private sealed record Topic(string One, string Many);

    private static readonly Topic NotCovered = new("MX host {0} not covered by the MTA-STS policy", "{0} MX hosts not covered by the MTA-STS policy");

    private static readonly Topic NotOnEveryNameServer = new("MTA-STS id not the same on every name server", "MTA-STS id not the same on every name server");
    private static readonly Topic DaneBroken = new("DANE TLSA records of MX host {0} match no certificate", "DANE TLSA records of {0} MX hosts match no certificate");

    private static readonly Dictionary<string, Topic> Topics = new(StringComparer.Ordinal)
    {
        [DriftCodes.MxNotCovered] = NotCovered,
        [FindingCodes.MxMismatch] = NotCovered,
        [FindingCodes.MxCnameTargetNotCovered] = NotCovered,
        [FindingCodes.DaneTlsaMismatch] = DaneBroken,
        [DriftCodes.DaneCertMismatch] = DaneBroken,
        [DriftCodes.CachedPolicyExposure] = new("cached MTA-STS policies do not cover MX host {0}", "cached MTA-STS policies do not cover {0} MX hosts"),
        [DriftCodes.IdNotYetPublished] = NotOnEveryNameServer,
        [FindingCodes.NameServerStaleId] = NotOnEveryNameServer,
        [DriftCodes.StaleId] = new("MTA-STS policy changed without a new id", "MTA-STS policy changed without a new id"),
        [DriftCodes.PolicyUnreachable] = new("MTA-STS policy unreachable", "MTA-STS policy unreachable"),
        [FindingCodes.PolicyUnreachable] = new("MTA-STS policy unreachable", "MTA-STS policy unreachable"),
        [DriftCodes.ModeDowngrade] = new("MTA-STS mode downgraded", "MTA-STS mode downgraded"),
        [DriftCodes.TxtRemoved] = new("MTA-STS TXT record removed", "MTA-STS TXT record removed"),
        [FindingCodes.MtaStsTxtMissing] = new("MTA-STS TXT record missing", "MTA-STS TXT record missing"),
        [FindingCodes.SmtpCertExpired] = new("certificate of MX host {0} expired", "certificates of {0} MX hosts expired"),
        [FindingCodes.SmtpCertUntrusted] = new("certificate of MX host {0} not trusted", "certificates of {0} MX hosts not trusted"),
        [FindingCodes.SmtpStartTlsMissing] = new("MX host {0} does not offer STARTTLS", "{0} MX hosts do not offer STARTTLS"),
        [FindingCodes.PolicyCertInvalid] = new("certificate of the MTA-STS policy host invalid", "certificate of the MTA-STS policy host invalid"),
        [FindingCodes.DomainNxDomain] = new("the domain does not exist in DNS", "the domain does not exist in DNS"),
        [FindingCodes.SmtpReplyTooLarge] = new("MX host {0} sends endless replies", "{0} MX hosts send endless replies"),
        [FindingCodes.CheckLimited] = new("MX host {0} could not be checked in time", "{0} MX hosts could not be checked in time"),
    };

    public static string For(IReadOnlyList<AlertItem> items)
    {
        if (items.Count == 0)
            return "no new problems";
        var groups = items
            .GroupBy(i => Topics.TryGetValue(i.Code, out var topic) ? topic.Many : i.Code)
            .Select(g => (Items: g.ToList(), Rank: g.Max(i => Rank(i.Severity))))
            .OrderByDescending(g => g.Rank).ThenByDescending(g => g.Items.Count)
            .ToList();
        var first = groups[0].Items;
        var phrase = Phrase(first);
        var others = groups.Skip(1).Sum(g => g.Items.Count);
        return others > 0 ? $"{phrase} (and {others} more)" : phrase;
    }

    public static int Rank(string severity) => (int)SeverityNames.Parse(severity);

    private static string Phrase(List<AlertItem> items)
    {
        if (Topics.TryGetValue(items[0].Code, out var topic))
        {
            var subjects = items.Select(i => i.Subject ?? "").Distinct(StringComparer.OrdinalIgnoreCase).ToList();
            return subjects.Count == 1 ? string.Format(System.Globalization.CultureInfo.InvariantCulture, topic.One, subjects[0]) : string.Format(System.Globalization.CultureInfo.InvariantCulture, topic.Many, subjects.Count);
        }
        return items.Count == 1 ? FirstSentence(items[0].Message) : $"{items.Count} problems ({items[0].Code})";
    }

    private static string FirstSentence(string message)
    {
        var end = message.IndexOf(". ", StringComparison.Ordinal);
        var sentence = (end > 0 ? message[..end] : message).TrimEnd('.');
        return sentence.Length <= 100 ? sentence : sentence[..99] + "…";
    }
}
