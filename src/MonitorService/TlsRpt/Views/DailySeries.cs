namespace MonitorService.TlsRpt.Views;

/// <summary>One entry per day of a range, in order: days nobody reported on are zeros, not gaps (a chart must not join across them).</summary>
public static class DailySeries
{
    public static IReadOnlyList<TlsRptDay> Fill(DateOnly from, DateOnly to, IEnumerable<TlsRptDay> reported)
    {
        var byDay = reported.Where(d => d.Date >= from && d.Date <= to)
            .GroupBy(d => d.Date)
            .ToDictionary(g => g.Key, g => (Successful: g.Sum(d => d.Successful), Failed: g.Sum(d => d.Failed)));
        var days = new List<TlsRptDay>(Math.Max(0, to.DayNumber - from.DayNumber + 1));
        for (var day = from; day <= to; day = day.AddDays(1))
            days.Add(byDay.TryGetValue(day, out var s) ? new TlsRptDay(day, s.Successful, s.Failed) : new TlsRptDay(day, 0, 0));
        return days;
    }
}
