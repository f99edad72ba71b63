using System.Text.RegularExpressions;

namespace MonitorService.Storage.Entities;

/// <summary>Team report keys: 32 lower-case hex digits (random), the same shape from C# and from the database default.</summary>
public static partial class TlsRptKeys
{
    /// <summary>For rows inserted with SQL (and the teams that existed before keys).</summary>
    public const string DefaultSql = "replace(gen_random_uuid()::text, '-', '')";

    public static string New() => Guid.NewGuid().ToString("N");

    public static bool IsWellFormed(string? key) => key is not null && Shape().IsMatch(key);

    [GeneratedRegex("^[0-9a-f]{32}$", RegexOptions.CultureInvariant)]
    private static partial Regex Shape();
}
