using MonitorService.Checks.Model;

namespace MonitorService.Checks.Parsing;

/// <summary>A parsed policy body and everything found wrong or notable in it.</summary>
public sealed record StsPolicyParseResult(StsPolicy Policy, IReadOnlyList<Finding> Findings);
