using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using MonitorService.Checks.Model;

namespace MonitorService.Output;

/// <summary>The JSON form of a report: camelCase, nulls kept (a script can tell "absent" from "missing key").</summary>
public static class ReportJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        // Attacker-controlled text stays escaped for HTML contexts, but readable characters are not mangled.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>The same settings on one line, for JSON Lines (<c>check --format jsonl</c>).</summary>
    public static readonly JsonSerializerOptions LineOptions = new(Options) { WriteIndented = false };

    public static string Serialize(CheckReport report) => JsonSerializer.Serialize(report, Options);

    public static string SerializeLine(CheckReport report) => JsonSerializer.Serialize(report, LineOptions);
}
