namespace MonitorService.Web.Queries;

/// <summary>One page of a longer list. Pages count from 1.</summary>
public sealed record Paged<T>(IReadOnlyList<T> Items, int Page, int PageSize, int Total)
{
    public const int MaxPageSize = 200;

    public int PageCount => Math.Max(1, (Total + PageSize - 1) / PageSize);

    public static (int Page, int PageSize) Clamp(int? page, int? pageSize, int defaultSize = 50) =>
        (Math.Max(1, page ?? 1), Math.Clamp(pageSize ?? defaultSize, 1, MaxPageSize));
}
