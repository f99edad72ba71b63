namespace MonitorService.Domains;

/// <summary>Settings of domain registration (configuration section "Domains").</summary>
public sealed class DomainOptions
{
    public const string SectionName = "Domains";

    /// <summary>
    /// Domains one team may register, however they are added (dashboard, API, command line). 0: no limit. Each
    /// domain costs the cluster a check per interval against servers its owner chooses, so a team cannot make the
    /// cluster do unbounded work.
    /// </summary>
    public int MaxPerTeam { get; set; } = 1000;

    public IReadOnlyList<string> Validate() =>
        MaxPerTeam < 0 ? [$"Domains:MaxPerTeam must be 0 (no limit) or more, not {MaxPerTeam}."] : [];
}
