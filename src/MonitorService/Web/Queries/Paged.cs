namespace MonitorService.Web.Queries;

/// <summary>One page of a longer list. Pages count from 1.</summary>
public sealed record Paged<T>(IReadOnlyList<T> Items, int Page, int PageSize, int Total)
{
    public int PageCount => Math.Max(1, (int)((Total + (long)PageSize - 1) / PageSize));
}

/// <summary>The bounds of paging parameters, checked before any query: the offset they make always fits.</summary>
public static class Paging
{
    public const int MaxPageSize = 200;

    /// <summary>Far beyond any real list (20 million rows at the largest page size), and (page - 1) × size fits an int.</summary>
    public const int MaxPage = 100_000;

    /// <summary>The problem with the parameters, or null when they are in range (null means the default).</summary>
    public static (string Field, string Message)? Problem(int? page, int? pageSize) =>
        page is < 1 or > MaxPage ? ("page", $"page is 1 to {MaxPage}.")
        : pageSize is < 1 or > MaxPageSize ? ("pageSize", $"pageSize is 1 to {MaxPageSize}.")
        : null;

    /// <summary>In-range values for pages that show something rather than refuse (the dashboard).</summary>
    public static (int Page, int PageSize) Clamp(int? page, int? pageSize, int defaultSize = 50) =>
        (Math.Clamp(page ?? 1, 1, MaxPage), Math.Clamp(pageSize ?? defaultSize, 1, MaxPageSize));
}
