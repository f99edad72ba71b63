namespace MonitorService.Web.Queries;

/// <summary>How the domains list is filtered, sorted and paged.</summary>
/// <param name="Status">ok, warning, error or pending; null for all.</param>
/// <param name="Search">Part of the domain name.</param>
/// <param name="Sort">name, status (worst first) or checked (most recently checked first).</param>
public sealed record DomainListQuery(string? Status = null, Guid? TeamId = null, string? Search = null, string Sort = "name", int Page = 1, int PageSize = 50)
{
    public static readonly string[] Sorts = ["name", "status", "checked"];
    public static readonly string[] Statuses = ["ok", "warning", "error", "pending"];

    /// <summary>Searches are parts of domain names, which are at most 253 characters.</summary>
    public const int MaxSearchLength = 253;
}

/// <summary>A row of the domains list.</summary>
public sealed record DomainRow(
    Guid Id, string Name, Guid TeamId, string Team, string Status, bool Enabled, int IntervalSeconds,
    DateTimeOffset? LastCheckedAt, int OpenIncidents)
{
    /// <summary>The published policy mode at the last check (enforce, testing, none), or null.</summary>
    public string? Mode { get; init; }

    public IReadOnlyList<string> Recipients { get; init; } = [];

    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>Report status of recent distinct observations, oldest first.</summary>
    public IReadOnlyList<StripCell> History { get; init; } = [];
}

/// <summary>One observation in a history strip: what the checks saw from <see cref="From"/> to <see cref="To"/>.</summary>
public sealed record StripCell(DateTimeOffset From, DateTimeOffset To, string Status);
