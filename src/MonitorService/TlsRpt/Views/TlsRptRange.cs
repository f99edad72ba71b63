namespace MonitorService.TlsRpt.Views;

/// <summary>A range of report days (UTC, both ends included), bounded so that one request reads at most a year and a day.</summary>
public sealed record TlsRptRange(DateOnly From, DateOnly To)
{
    public const int MaxDays = 366;

    public int Days => To.DayNumber - From.DayNumber + 1;

    /// <summary>The last <paramref name="days"/> days up to and including today (UTC).</summary>
    public static TlsRptRange Last(int days, DateTimeOffset now)
    {
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        return new TlsRptRange(today.AddDays(1 - Math.Clamp(days, 1, MaxDays)), today);
    }

    /// <summary>From optional bounds: <c>to</c> defaults to today, <c>from</c> to 29 days before <c>to</c>. Null with a reason when out of bounds.</summary>
    public static (TlsRptRange? Range, string? Error) Of(DateOnly? from, DateOnly? to, DateTimeOffset now)
    {
        var end = to ?? DateOnly.FromDateTime(now.UtcDateTime);
        var start = from ?? end.AddDays(-29);
        if (start > end)
            return (null, "from must not be after to.");
        if (end.DayNumber - start.DayNumber + 1 > MaxDays)
            return (null, $"A range is at most {MaxDays} days.");
        return (new TlsRptRange(start, end), null);
    }
}
