namespace MonitorService.Cli.Bulk;

/// <summary>
/// Reads the <c>--input</c> list: one domain per line, <c>#</c> starts a comment, blank lines are skipped. The whole
/// list is read and capped before any check starts, so a runaway pipe or a wrong file fails fast with a usage error
/// instead of holding an unbounded list in memory.
/// </summary>
public static class DomainListReader
{
    public const int MaxLines = 100_000;
    /// <summary>1 MiB of text (counted in characters; domain lists are ASCII, so that is bytes).</summary>
    public const int MaxCharacters = 1024 * 1024;

    /// <param name="path">A file, or <c>-</c> for <paramref name="stdin"/>.</param>
    public static async Task<IReadOnlyList<CheckInput>> ReadAsync(string path, TextReader stdin, CancellationToken ct)
    {
        if (path == "-")
            return Parse(await ReadCappedAsync(stdin, "standard input", ct).ConfigureAwait(false), "standard input");
        try
        {
            using var file = File.OpenText(path);
            return Parse(await ReadCappedAsync(file, path, ct).ConfigureAwait(false), path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"--input: cannot read '{path}': {e.Message}");
        }
    }

    private static async Task<string> ReadCappedAsync(TextReader reader, string name, CancellationToken ct)
    {
        // One character more than the cap tells "exactly at the cap" from "over it" without reading the rest.
        var buffer = new char[MaxCharacters + 1];
        var length = 0;
        int read;
        while (length < buffer.Length && (read = await reader.ReadAsync(buffer.AsMemory(length), ct).ConfigureAwait(false)) > 0)
            length += read;
        if (length > MaxCharacters)
            throw new UsageException($"--input: {name} is larger than {MaxCharacters / 1024 / 1024} MiB; split the list.");
        return new string(buffer, 0, length);
    }

    public static IReadOnlyList<CheckInput> Parse(string text, string name)
    {
        var lines = text.Split('\n');
        // A final newline does not start another line.
        var count = lines.Length > 0 && lines[^1].Length == 0 ? lines.Length - 1 : lines.Length;
        if (count > MaxLines)
            throw new UsageException($"--input: {name} has more than {MaxLines.ToString("N0", System.Globalization.CultureInfo.InvariantCulture)} lines; split the list.");
        var entries = new List<CheckInput>();
        for (var i = 0; i < count; i++)
        {
            var line = lines[i];
            // '#' cannot occur in a domain name, so everything after it is a comment, on its own line or trailing.
            var hash = line.IndexOf('#', StringComparison.Ordinal);
            var content = (hash >= 0 ? line[..hash] : line).Trim();
            if (content.Length > 0)
                entries.Add(new CheckInput($"line {i + 1}", content));
        }
        if (entries.Count == 0)
            throw new UsageException($"--input: {name} names no domain.");
        return entries;
    }
}
