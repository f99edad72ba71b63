namespace MonitorService.Checks.Parsing;

/// <summary>One <c>name=value</c> field of a TXT record, after the version field.</summary>
internal sealed record RecordField(string Name, string Value);
