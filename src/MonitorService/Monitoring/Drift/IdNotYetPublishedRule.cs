using MonitorService.Checks.Model;

namespace MonitorService.Monitoring.Drift;

/// <summary>
/// DRIFT_ID_NOT_YET_PUBLISHED: the authoritative servers, asked directly, serve different <c>_mta-sts</c> ids and at
/// least one of them serves an id other than the last known one. A resolver may ask any of them, so senders see either
/// id: the new one is not published until every server serves it (RFC 8461 §3.1). The new id is the one the servers
/// with the newest SOA serial serve; the others are behind.
/// </summary>
internal static class IdNotYetPublishedRule
{
    public static IEnumerable<DriftEvent> Evaluate(DriftInput input)
    {
        if (input.Previous is not { TxtKnown: true } previous || input.Current.NameServerIds is not { Count: > 1 } served)
            yield break;
        if (served.Select(s => s.Id).Distinct(StringComparer.Ordinal).Count() < 2 || served.All(s => s.Id == previous.TxtId))
            yield break;

        var newestSerial = served.Select(s => s.Serial).OfType<uint>().DefaultIfEmpty().Aggregate((a, b) => Checks.NameServers.SoaSerial.IsNewer(b, a) ? b : a);
        var newest = served.Where(s => s.Serial == newestSerial).ToList();
        var newId = (newest.Count > 0 ? newest : served).Where(s => s.Id != previous.TxtId)
            .GroupBy(s => s.Id, StringComparer.Ordinal).OrderByDescending(g => g.Count()).Select(g => g.Key).FirstOrDefault()
            ?? served.First(s => s.Id != previous.TxtId).Id;
        var ahead = served.Where(s => s.Id == newId).ToList();
        var behind = served.Where(s => s.Id != newId).ToList();
        var behindNames = behind.Select(s => s.Server).Distinct(StringComparer.Ordinal).ToList();
        var txt = DriftText.TxtName(input.Domain);
        yield return new DriftEvent(
            DriftCodes.IdNotYetPublished,
            Severity.Warning,
            newId,
            $"The new MTA-STS id {DriftText.Id(newId)} of {input.Domain} ({txt}) is not yet published on every name server: " +
            $"{string.Join(", ", ahead.Select(Where))} serve{(ahead.Count == 1 ? "s" : "")} it, but {string.Join(", ", behind.Select(s => $"{Where(s)} still serves {DriftText.Id(s.Id)}"))}. " +
            $"Resolvers that ask {string.Join(" or ", behindNames)} hand senders the old id, so those senders do not refetch the policy and keep the one " +
            "they cached (RFC 8461 §3.1). The change counts as published only when every name server serves the new id; until then, the previous policy " +
            "must stay valid for the current MX hosts.",
            null,
            $"Make {string.Join(", ", behindNames)} transfer the zone from the primary again (BIND: `rndc retransfer <zone>`; check NOTIFY and the " +
            $"transfer ACL) until it serves {txt} TXT \"v=STSv1; id={newId}\", or remove it from the NS records.");
    }

    private static string Where(ServedTxtId s) =>
        $"{s.Server} ({s.Address}, SOA serial {s.Serial?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "unknown"})";
}
