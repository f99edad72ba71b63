using System.Globalization;

namespace MonitorService.TlsRpt.Views;

/// <summary>One day's bar: the successful part on the bottom, the failed part stacked on it (SVG user units, y down).</summary>
public sealed record ChartBar(TlsRptDay Day, double X, double Width, double SuccessY, double SuccessHeight, double FailedY, double FailedHeight);

/// <summary>A horizontal grid line with its value.</summary>
public sealed record ChartTick(double Y, long Value);

/// <summary>
/// The geometry of the sessions chart, drawn on the server as SVG (no script: the CSP allows none inline): a stacked
/// bar per day on a fixed view box, heights relative to the busiest day, rounded "nice" grid lines. Pure: the page
/// only writes these numbers into attributes.
/// </summary>
public sealed record SessionChart(double Width, double Height, double PlotLeft, double PlotTop, double PlotHeight, IReadOnlyList<ChartBar> Bars, IReadOnlyList<ChartTick> Ticks)
{
    public const double ViewWidth = 720, ViewHeight = 220, Left = 56, Right = 8, Top = 10, Bottom = 24;

    public double PlotBottom => PlotTop + PlotHeight;

    public static SessionChart Of(IReadOnlyList<TlsRptDay> days)
    {
        var plotWidth = ViewWidth - Left - Right;
        var plotHeight = ViewHeight - Top - Bottom;
        var max = days.Count == 0 ? 0 : days.Max(d => d.Successful + d.Failed);
        var top = NiceCeiling(max);
        var slot = days.Count == 0 ? plotWidth : plotWidth / days.Count;
        var gap = slot > 4 ? Math.Min(2, slot * 0.2) : 0;
        var bars = days.Select((d, i) =>
        {
            var successHeight = Scale(d.Successful, top, plotHeight);
            var failedHeight = Scale(d.Failed, top, plotHeight);
            // A day with failures stays visible however small they are next to the successes.
            if (d.Failed > 0 && failedHeight < 1.5)
                failedHeight = 1.5;
            var baseY = Top + plotHeight;
            return new ChartBar(d, Round(Left + i * slot + gap / 2), Round(slot - gap),
                Round(baseY - successHeight), Round(successHeight), Round(baseY - successHeight - failedHeight), Round(failedHeight));
        }).ToList();
        var ticks = Enumerable.Range(0, 5).Select(i => new ChartTick(Round(Top + plotHeight - plotHeight * i / 4), top * i / 4)).ToList();
        return new SessionChart(ViewWidth, ViewHeight, Left, Top, plotHeight, bars, ticks);
    }

    /// <summary>SVG attribute text for a number: invariant, at most two decimals.</summary>
    public static string Attr(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);

    private static double Scale(long value, long top, double height) => top == 0 ? 0 : height * value / top;

    private static double Round(double value) => Math.Round(value, 2);

    /// <summary>The smallest 1, 2, 2.5 or 5 × 10^n (times 4, for four grid steps) at or above <paramref name="max"/>; 4 for an empty chart.</summary>
    public static long NiceCeiling(long max)
    {
        if (max <= 4)
            return 4;
        var step = (double)max / 4;
        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(step)));
        var nice = new[] { 1, 2, 2.5, 5, 10 }.Select(m => m * magnitude).First(s => s >= step);
        return (long)Math.Ceiling(nice) * 4;
    }
}
