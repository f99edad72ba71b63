namespace MonitorService.TlsRpt.Correlation;

/// <summary>A finding of ours over the time it was seen: from its first sighting until it closed (null: still open).</summary>
public sealed record FindingPeriod(string Code, string Subject, DateTimeOffset From, DateTimeOffset? Until);

/// <summary>
/// Says which of our findings explains one failure row of a report: a finding of a matching code (about the same MX
/// host where the result type is host-bound) that was seen at some time during the report's day. Null: unexplained.
/// </summary>
public static class FailureCorrelator
{
    public static string? Explain(string resultType, string? receivingMx, DateOnly reportDay, IReadOnlyList<FindingPeriod> findings)
    {
        if (FailureExplanations.For(resultType) is not { } explanation)
            return null;
        var dayStart = new DateTimeOffset(reportDay.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var dayEnd = dayStart.AddDays(1);
        var host = Normalise(receivingMx);
        foreach (var code in explanation.FindingCodes)
        {
            var match = findings.FirstOrDefault(f => f.Code == code && f.From < dayEnd && (f.Until is null || f.Until >= dayStart)
                && (!explanation.SameMxHost || (host is not null && Normalise(f.Subject) == host)));
            if (match is not null)
                return match.Code;
        }
        return null;
    }

    private static string? Normalise(string? host) =>
        string.IsNullOrWhiteSpace(host) ? null : host.Trim().TrimEnd('.').ToLowerInvariant();
}
