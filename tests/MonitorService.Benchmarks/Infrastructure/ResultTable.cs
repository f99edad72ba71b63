using System.Globalization;
using System.Text;

namespace MonitorService.Benchmarks.Infrastructure;

/// <summary>The run's results as one markdown table: section, measurement, value, target, notes.</summary>
public sealed class ResultTable
{
    private readonly List<(string Section, string Measurement, string Value, string Target, string Notes)> _rows = [];

    public void Add(string section, string measurement, string value, string target = "", string notes = "")
    {
        _rows.Add((section, measurement, value, target, notes));
        Console.Error.WriteLine($"  [{section}] {measurement}: {value} {notes}");
    }

    public string ToMarkdown()
    {
        var sb = new StringBuilder();
        sb.AppendLine("| Section | Measurement | Value | Target | Notes |");
        sb.AppendLine("|---|---|---|---|---|");
        foreach (var r in _rows)
            sb.AppendLine(CultureInfo.InvariantCulture, $"| {r.Section} | {r.Measurement} | {r.Value} | {r.Target} | {r.Notes} |");
        return sb.ToString();
    }

    public static string N(double value, string format = "0.#") => value.ToString(format, CultureInfo.InvariantCulture);

    public static string Bytes(double bytes) => bytes switch
    {
        >= 1 << 30 => $"{N(bytes / (1 << 30), "0.##")} GiB",
        >= 1 << 20 => $"{N(bytes / (1 << 20), "0.#")} MiB",
        >= 1 << 10 => $"{N(bytes / (1 << 10), "0.#")} KiB",
        _ => $"{N(bytes, "0")} B",
    };
}
