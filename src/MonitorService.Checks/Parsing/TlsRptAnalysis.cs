using MonitorService.Checks.Model;

namespace MonitorService.Checks.Parsing;

/// <summary>What the <c>_smtp._tls</c> TXT RRset says.</summary>
/// <param name="TlsRptRecords">The records that begin with <c>v=TLSRPTv1</c> (case-sensitive), as given.</param>
/// <param name="Rua">The usable report URIs (mailto: or https:) of the single valid record, as written; empty otherwise.</param>
/// <param name="Findings">Problems and warnings about the records.</param>
public sealed record TlsRptAnalysis(IReadOnlyList<string> TlsRptRecords, IReadOnlyList<string> Rua, IReadOnlyList<Finding> Findings);
