using static MonitorService.Benchmarks.Infrastructure.ResultTable;

namespace MonitorService.Benchmarks.Infrastructure;

/// <summary>
/// One section's rows measured several times: each number of a row is kept per run and printed as
/// "median [min–max]", so the README can show the median with its spread and a rerun can be compared with both.
/// </summary>
public sealed class RepeatedRows
{
    private readonly List<Row> _rows = [];

    private sealed class Row(string measurement, string format, string unit, string target)
    {
        public string Measurement { get; } = measurement;
        public string Format { get; } = format;
        public string Unit { get; } = unit;
        public string Target { get; } = target;
        public List<double[]> Runs { get; } = [];
        public string Notes { get; set; } = "";
    }

    /// <summary>One run's numbers for a row (several for "p50 / p95 / max"); notes are those of the last run.</summary>
    public void Add(string measurement, double[] values, string format, string unit, string target = "", string notes = "")
    {
        var row = _rows.FirstOrDefault(r => r.Measurement == measurement);
        if (row is null)
        {
            row = new Row(measurement, format, unit, target);
            _rows.Add(row);
        }
        row.Runs.Add(values);
        row.Notes = notes;
        Console.Error.WriteLine($"  {measurement}: {string.Join(" / ", values.Select(v => N(v, format)))} {unit}");
    }

    public void WriteTo(ResultTable table, string section)
    {
        foreach (var row in _rows)
        {
            var parts = Enumerable.Range(0, row.Runs.Min(r => r.Length)).Select(i =>
            {
                var values = row.Runs.Select(r => r[i]).Order().ToArray();
                var median = values.Length % 2 == 1 ? values[values.Length / 2] : (values[values.Length / 2 - 1] + values[values.Length / 2]) / 2;
                return values.Length == 1 ? N(median, row.Format) : $"{N(median, row.Format)} [{N(values[0], row.Format)}–{N(values[^1], row.Format)}]";
            });
            var runs = row.Runs.Count == 1 ? "1 run" : $"median [min–max] of {row.Runs.Count} runs";
            table.Add(section, row.Measurement, $"{string.Join(" / ", parts)} {row.Unit}".TrimEnd(), row.Target,
                string.IsNullOrEmpty(row.Notes) ? runs : $"{runs}; {row.Notes}");
        }
    }
}
