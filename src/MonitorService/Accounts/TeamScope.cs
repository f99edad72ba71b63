namespace MonitorService.Accounts;

/// <summary>The teams a caller may see and change: all of them (administrators) or the listed ones.</summary>
public sealed record TeamScope(bool All, IReadOnlyCollection<Guid> TeamIds)
{
    public static TeamScope Nothing { get; } = new(false, []);

    public static TeamScope Everything { get; } = new(true, []);

    public static TeamScope Only(Guid teamId) => new(false, [teamId]);

    public bool Allows(Guid teamId) => All || TeamIds.Contains(teamId);
}
