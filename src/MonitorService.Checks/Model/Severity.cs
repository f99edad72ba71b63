using System.Text.Json.Serialization;

namespace MonitorService.Checks.Model;

/// <summary>How bad a finding is. Ordered: a higher value is worse, so the worst of a report is a plain Max().</summary>
[JsonConverter(typeof(JsonStringEnumConverter<Severity>))]
public enum Severity
{
    [JsonStringEnumMemberName("info")] Info = 0,
    [JsonStringEnumMemberName("warning")] Warning = 1,
    [JsonStringEnumMemberName("error")] Error = 2,
}

/// <summary>The one spelling of severities outside JSON too: stored incidents and events, metrics labels, mail.</summary>
public static class SeverityNames
{
    public static string Name(this Severity severity) => severity switch
    {
        Severity.Error => "error",
        Severity.Warning => "warning",
        _ => "info",
    };

    /// <summary>The severity a stored name stands for; anything unknown counts as info, the mildest.</summary>
    public static Severity Parse(string name) => name switch
    {
        "error" => Severity.Error,
        "warning" => Severity.Warning,
        _ => Severity.Info,
    };
}
