namespace MonitorService.TlsRpt.Intake;

/// <summary>
/// How a report reached us, which decides who sees it (<see cref="Views.TlsRptVisibility"/>): the teams whose own
/// address received it, or the shared address (<paramref name="Teams"/> empty).
/// </summary>
public sealed record TlsRptRoute(IReadOnlyList<Guid> Teams)
{
    public bool Shared => Teams.Count == 0;

    public static readonly TlsRptRoute SharedAddress = new([]);
}
