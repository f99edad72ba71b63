namespace MonitorService.Checks.Parsing;

/// <summary>A <c>key: value</c> line of a policy; the value is trimmed of surrounding whitespace.</summary>
internal sealed record PolicyField(string Key, string Value, PolicyLine Line);
