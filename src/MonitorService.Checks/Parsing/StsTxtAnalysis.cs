using MonitorService.Checks.Model;

namespace MonitorService.Checks.Parsing;

/// <summary>What the <c>_mta-sts</c> TXT RRset says.</summary>
/// <param name="StsRecords">The records that begin with <c>v=STSv1</c> (case-sensitive), as given.</param>
/// <param name="Id">The id of the single valid record, else null: null means senders see no policy.</param>
/// <param name="Findings">Problems and warnings about the records.</param>
public sealed record StsTxtAnalysis(IReadOnlyList<string> StsRecords, string? Id, IReadOnlyList<Finding> Findings);
