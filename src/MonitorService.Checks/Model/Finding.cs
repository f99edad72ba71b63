namespace MonitorService.Checks.Model;

/// <summary>
/// One problem or fact the engine found. <see cref="Code"/> is stable (see <see cref="FindingCodes"/>): alerts,
/// incidents and the dashboard key on it, so codes are never renamed.
/// </summary>
/// <param name="Code">Stable identifier such as <c>MTASTS_MX_MISMATCH</c>.</param>
/// <param name="Severity">Error, warning or info.</param>
/// <param name="Subject">The host, record or value concerned, or null when the finding is about the whole domain.</param>
/// <param name="Message">Plain-language explanation for a mail admin.</param>
/// <param name="Rfc">The section the rule comes from, such as "RFC 8461 §4.1".</param>
/// <param name="Fix">The exact change that resolves it, when there is one.</param>
public sealed record Finding(string Code, Severity Severity, string? Subject, string Message, string Rfc, string? Fix = null);
