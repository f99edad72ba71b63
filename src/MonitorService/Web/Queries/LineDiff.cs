namespace MonitorService.Web.Queries;

public enum DiffKind { Same, Removed, Added, Changed }

/// <summary>One row of a side-by-side diff: the left (older) line, the right (newer) line, or both.</summary>
public sealed record DiffRow(DiffKind Kind, string? Left, string? Right);

/// <summary>
/// Side-by-side line diff (longest common subsequence). Policies and MX sets are short; inputs are capped so a
/// hostile 64 KiB policy cannot make the dashboard do quadratic work on millions of cells.
/// </summary>
public static class LineDiff
{
    public const int MaxLines = 1000;

    public static IReadOnlyList<DiffRow> Compute(IReadOnlyList<string> left, IReadOnlyList<string> right)
    {
        var a = left.Take(MaxLines).ToArray();
        var b = right.Take(MaxLines).ToArray();
        var lcs = new int[a.Length + 1, b.Length + 1];
        for (var i = a.Length - 1; i >= 0; i--)
            for (var j = b.Length - 1; j >= 0; j--)
                lcs[i, j] = a[i] == b[j] ? lcs[i + 1, j + 1] + 1 : Math.Max(lcs[i + 1, j], lcs[i, j + 1]);

        var rows = new List<DiffRow>();
        var removed = new List<string>();
        var added = new List<string>();
        void Flush()
        {
            // Pair removed and added lines into "changed" rows so the two sides line up.
            for (var k = 0; k < Math.Max(removed.Count, added.Count); k++)
            {
                var l = k < removed.Count ? removed[k] : null;
                var r = k < added.Count ? added[k] : null;
                rows.Add(new DiffRow(l is not null && r is not null ? DiffKind.Changed : l is not null ? DiffKind.Removed : DiffKind.Added, l, r));
            }
            removed.Clear();
            added.Clear();
        }
        int x = 0, y = 0;
        while (x < a.Length || y < b.Length)
        {
            if (x < a.Length && y < b.Length && a[x] == b[y])
            {
                Flush();
                rows.Add(new DiffRow(DiffKind.Same, a[x++], b[y++]));
            }
            else if (y < b.Length && (x == a.Length || lcs[x, y + 1] >= lcs[x + 1, y]))
                added.Add(b[y++]);
            else
                removed.Add(a[x++]);
        }
        Flush();
        return rows;
    }

    public static IReadOnlyList<string> Lines(string text) =>
        text.Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd('\n').Split('\n');
}
