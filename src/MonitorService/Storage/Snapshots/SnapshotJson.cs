using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using MonitorService.Checks.Model;

namespace MonitorService.Storage.Snapshots;

/// <summary>
/// The serializer settings of stored snapshots, frozen on purpose and owned here, not shared with any output format:
/// parts are content-addressed, so a different byte for the same content would make every domain look changed.
/// Changing them is a data migration (pinned by <c>SnapshotFormatTests</c>).
/// </summary>
public static class SnapshotJson
{
    public static readonly JsonSerializerOptions Options = Freeze(new JsonSerializerOptions(JsonSerializerDefaults.Web)
    {
        WriteIndented = false,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        TypeInfoResolver = new DefaultJsonTypeInfoResolver { Modifiers = { OmitLaterSectionsWhenNull } },
    });

    /// <summary>
    /// Report sections added after the format was pinned, left out when null: a report without them then serialises to
    /// exactly the bytes it always did, so no stored part changes its hash (a domain's next check is not a "change").
    /// </summary>
    internal static readonly IReadOnlySet<string> LaterReportSections = new HashSet<string>(StringComparer.Ordinal) { "nameservers" };

    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Options);

    public static T Deserialize<T>(string content) =>
        JsonSerializer.Deserialize<T>(content, Options) ?? throw new JsonException($"A stored {typeof(T).Name} snapshot is null.");

    private static void OmitLaterSectionsWhenNull(JsonTypeInfo type)
    {
        if (type.Type != typeof(CheckReport))
            return;
        foreach (var property in type.Properties.Where(p => LaterReportSections.Contains(p.Name)))
            property.ShouldSerialize = static (_, value) => value is not null;
    }

    private static JsonSerializerOptions Freeze(JsonSerializerOptions options)
    {
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
