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
