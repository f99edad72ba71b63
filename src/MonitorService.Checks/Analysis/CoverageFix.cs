namespace MonitorService.Checks.Analysis;

/// <summary>
/// The fix for MX hosts a policy does not cover, in the order that works (RFC 8461 §8.1): the policy first, the new
/// id after it, because senders refetch when they see the new id and must find the new policy already there. Shared
/// by the check's findings and the monitor's drift events, so both tell the admin the same thing.
/// </summary>
public static class CoverageFix
{
    public static string Text(string domain, IEnumerable<string> hostsToAdd, string newId)
    {
        var lines = string.Join("\n", hostsToAdd.Select(h => $"   mx: {h}"));
        return $"1. Add to https://mta-sts.{domain}/.well-known/mta-sts.txt:\n{lines}\n" +
               $"2. Then, after the new policy is live, publish a new id: _mta-sts.{domain} TXT \"v=STSv1; id={newId}\"";
    }
}
