namespace MonitorService.Cli.Bulk;

/// <summary>One entry of a bulk run as given, before it is known to be a domain name.</summary>
/// <param name="Source">Where it came from, for messages: "argument 2", "line 17".</param>
public sealed record CheckInput(string Source, string Text);
