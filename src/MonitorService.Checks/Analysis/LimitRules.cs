using MonitorService.Checks.Model;

namespace MonitorService.Checks.Analysis;

/// <summary>What the check left out because of its caps (CheckOptions.MaxMxHosts, MaxAddressesPerHost): said, never silent.</summary>
internal static class LimitRules
{
    private const int NamesListed = 10;

    public static IEnumerable<Finding> Evaluate(CheckObservations o)
    {
        var leftOut = o.MxHosts.Where(h => !h.LookedUp).OrderBy(h => h.Record.Preference).ToList();
        if (leftOut.Count > 0)
        {
            var names = string.Join(", ", leftOut.Take(NamesListed).Select(h => $"{h.Record.Host} (preference {h.Record.Preference})"));
            yield return new Finding(FindingCodes.CheckLimited, Severity.Info, o.Domain,
                $"{o.Domain} has {o.MxHosts.Count} MX hosts; the check looked up and probed the {o.MxHosts.Count - leftOut.Count} most preferred "
                + $"and left out {leftOut.Count}: {names}{(leftOut.Count > NamesListed ? ", ..." : "")}. Nothing is known about their addresses and STARTTLS.",
                "RFC 5321 §5.1");
        }
        if (o.PolicyAddressesNotFetched > 0)
        {
            var fetched = o.PolicyFetches.Count;
            yield return new Finding(FindingCodes.CheckLimited, Severity.Info, o.PolicyHost,
                $"The policy was fetched from {fetched} of its {fetched + o.PolicyAddressesNotFetched} addresses; whether the others serve the same policy was not checked.",
                "RFC 8461 §3.3");
        }
        foreach (var host in o.MxHosts.Where(h => h.AddressesNotTried > 0))
        {
            var usable = host.Addresses.Records.Count - host.Blocked.Count;
            var tried = usable - host.AddressesNotTried;
            if (host.OutOfTime)
                // A warning: unlike a cap, this is the host's own slowness (its lookup, its other addresses) showing.
                yield return new Finding(FindingCodes.CheckLimited, Severity.Warning, host.Record.Host,
                    tried == 0
                        ? $"The check's time ran out before {host.Record.Host} could be probed (its address lookup or a busy server took too long); its STARTTLS was not checked."
                        : $"The check's time ran out after the probe of {host.Record.Host} tried {tried} of its {usable} addresses without completing a dialogue; the other {host.AddressesNotTried} were not tried.",
                    "RFC 5321 §5.1");
            else
                yield return new Finding(FindingCodes.CheckLimited, Severity.Info, host.Record.Host,
                    $"The probe of {host.Record.Host} tried {tried} of its {usable} addresses without completing a dialogue and did not try the other {host.AddressesNotTried}.",
                    "RFC 5321 §5.1");
        }
    }
}
