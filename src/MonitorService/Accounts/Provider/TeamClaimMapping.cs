namespace MonitorService.Accounts.Provider;

/// <summary>
/// Which values of the provider's team claim make someone a member of which team, and which make them an
/// administrator. Values compare case-insensitively (they are configuration keys, which are). The teams named here
/// are the provider's to manage: membership of them follows the claim at every sign-in; other teams are left as
/// administrators set them.
/// </summary>
public sealed class TeamClaimMapping(IReadOnlyDictionary<string, string> teamsByValue, IReadOnlyCollection<string> adminValues)
{
    private readonly Dictionary<string, string> _teamsByValue = new(teamsByValue, StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> _adminValues = new(adminValues, StringComparer.OrdinalIgnoreCase);

    /// <summary>Every team the mapping names (the teams whose membership the provider manages).</summary>
    public IReadOnlySet<string> ManagedTeams { get; } = teamsByValue.Values.Select(t => t.Trim()).ToHashSet(StringComparer.Ordinal);

    /// <summary>Whether the mapping says anything about administrators; when not, sign-in leaves the flag alone.</summary>
    public bool ManagesAdministrators => _adminValues.Count > 0;

    /// <summary>The managed teams the values make someone a member of.</summary>
    public IReadOnlySet<string> TeamsFor(IEnumerable<string> values) =>
        values.Select(v => _teamsByValue.GetValueOrDefault(v.Trim())).OfType<string>().Select(t => t.Trim()).ToHashSet(StringComparer.Ordinal);

    public bool IsAdministrator(IEnumerable<string> values) => values.Any(v => _adminValues.Contains(v.Trim()));
}
