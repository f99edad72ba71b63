using System.Text.RegularExpressions;

namespace MonitorService.Tests.Architecture;

/// <summary>
/// The folders of src/MonitorService are layers: a folder may use folders of its own layer or below, never above, and
/// never in a circle. Read from the sources (usings, qualified names and doc references), so the table in the closing
/// note and this test see the same thing. A new folder must be placed in <see cref="Layers"/>.
/// </summary>
public sealed partial class FolderLayerTests
{
    /// <summary>Top first. Within a layer, folders may use each other as long as no cycle forms.</summary>
    private static readonly string[][] Layers =
    [
        ["Cli", "Web", "Hosting"],
        ["Accounts", "Domains", "Monitoring", "Alerts", "Channels", "Digest", "Scheduling", "Retention", "Plans", "TlsRpt"],
        ["Mail", "Storage", "Observability", "Output", "Settings"],
    ];

    [Fact]
    public void Every_folder_has_a_layer()
    {
        var unplaced = Dependencies().Keys.Where(f => LayerOf(f) < 0).ToList();
        Assert.True(unplaced.Count == 0, $"Place these folders in FolderLayerTests.Layers: {string.Join(", ", unplaced)}");
    }

    [Fact]
    public void No_folder_uses_a_folder_above_it()
    {
        var upward = Dependencies()
            .SelectMany(d => d.Value.Where(to => LayerOf(to) < LayerOf(d.Key)).Select(to => $"{d.Key} -> {to}"))
            .ToList();
        Assert.True(upward.Count == 0, $"Dependencies that point up: {string.Join("; ", upward)}");
    }

    [Fact]
    public void Folder_dependencies_have_no_cycle()
    {
        var graph = Dependencies();
        var cycles = graph.Keys.Select(start => CycleFrom(graph, start)).OfType<string>().Distinct().ToList();
        Assert.True(cycles.Count == 0, $"Folder cycles: {string.Join("; ", cycles)}");
    }

    [Fact]
    public void The_scan_sees_a_known_dependency()
    {
        // Guards the scanner itself: if it saw nothing, the tests above could not fail.
        Assert.Contains("Storage", Dependencies()["Monitoring"]);
        Assert.Contains("Web", Dependencies()["Cli"]);
    }

    private static int LayerOf(string folder) => Array.FindIndex(Layers, l => l.Contains(folder));

    private static string? CycleFrom(Dictionary<string, HashSet<string>> graph, string start)
    {
        var path = new Stack<string>();
        return Visit(start);

        string? Visit(string node)
        {
            if (path.Contains(node))
                return node == start ? string.Join(" -> ", path.Reverse().Append(node)) : null;
            path.Push(node);
            foreach (var next in graph.GetValueOrDefault(node, []))
            {
                if (Visit(next) is { } cycle)
                    return cycle;
            }
            path.Pop();
            return null;
        }
    }

    private static readonly Lazy<Dictionary<string, HashSet<string>>> Scanned = new(Scan);

    private static Dictionary<string, HashSet<string>> Dependencies() => Scanned.Value;

    private static Dictionary<string, HashSet<string>> Scan()
    {
        var texts = SourceFolders().ToDictionary(f => f.Key, f => string.Join('\n', f.Value.Select(File.ReadAllText)));
        var types = texts.ToDictionary(t => t.Key, t => DeclaredTypes().Matches(t.Value).Select(m => m.Groups[1].Value).ToHashSet());
        return texts.ToDictionary(t => t.Key, t => texts.Keys.Where(other => other != t.Key && Uses(t.Value, other, types[other])).ToHashSet());
    }

    /// <summary>
    /// A using of the folder's namespace, or a name qualified with it: <c>MonitorService.Mail.X</c> or <c>Mail.X</c> where
    /// X is a type declared there (so a property that happens to share a folder's name, such as <c>options.Digest</c>, is not one).
    /// </summary>
    private static bool Uses(string text, string folder, HashSet<string> folderTypes) =>
        Regex.IsMatch(text, $@"(using\s+MonitorService\.{folder}\b|MonitorService\.{folder}\.)")
        || Regex.Matches(text, $@"(?<![A-Za-z0-9_.""]){folder}\.([A-Z][A-Za-z0-9_]*)").Any(m => folderTypes.Contains(m.Groups[1].Value));

    [GeneratedRegex(@"\b(?:class|record|struct|enum|interface)\s+([A-Z][A-Za-z0-9_]*)")]
    private static partial Regex DeclaredTypes();

    private static Dictionary<string, string[]> SourceFolders()
    {
        var root = Path.Combine(RepositoryRoot(), "src", "MonitorService");
        return Directory.GetDirectories(root)
            .Select(Path.GetFileName)
            .OfType<string>()
            .Where(name => name is not ("bin" or "obj" or "Properties" or "wwwroot"))
            .Select(name => (name, files: Directory.EnumerateFiles(Path.Combine(root, name), "*.*", SearchOption.AllDirectories)
                .Where(p => (p.EndsWith(".cs", StringComparison.Ordinal) || p.EndsWith(".cshtml", StringComparison.Ordinal)) && !p.Contains("/obj/", StringComparison.Ordinal))
                .ToArray()))
            .Where(f => f.files.Length > 0)
            .ToDictionary(f => f.name, f => f.files);
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "MonitorService.sln")))
                return dir.FullName;
        }
        throw new InvalidOperationException("MonitorService.sln not found above the test's folder.");
    }
}
