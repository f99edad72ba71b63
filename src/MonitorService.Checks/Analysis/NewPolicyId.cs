using System.Globalization;

namespace MonitorService.Checks.Analysis;

/// <summary>
/// Ids and TXT records people are told to publish when they change a policy on purpose (a planned change, a dry run):
/// the time in UTC as <c>20261130T120000</c>, which is valid (RFC 8461 §3.1: 1-32 letters or digits), sorts by age
/// and says when it was made. Unlike <see cref="SuggestedId"/> it is not meant to be stable across checks.
/// </summary>
public static class NewPolicyId
{
    /// <summary>The id for <paramref name="time"/>, with <paramref name="suffix"/> (letters or digits) after it; never <paramref name="currentId"/>.</summary>
    public static string At(DateTimeOffset time, string? currentId, string suffix = "")
    {
        var id = time.ToUniversalTime().ToString("yyyyMMdd'T'HHmmss", CultureInfo.InvariantCulture) + suffix;
        // Equal only if someone published exactly this id already: senders would not see a change, so make it differ.
        return string.Equals(id, currentId, StringComparison.Ordinal) ? id + "a" : id;
    }

    /// <summary>The record as it is published: <c>_mta-sts.example.com TXT "v=STSv1; id=..."</c> (the form <see cref="CoverageFix"/> uses).</summary>
    public static string TxtRecord(string domain, string id) => $"_mta-sts.{domain} TXT \"v=STSv1; id={id}\"";
}
