namespace MonitorService.Retention;

/// <summary>How long history is kept (configuration section "Retention").</summary>
public sealed class RetentionOptions
{
    public const string SectionName = "Retention";

    /// <summary>
    /// The shortest retention allowed: the weekly digest reads the last 7 days of observations and reports a policy in
    /// testing for more than 4 weeks, so at least that much history must stay.
    /// </summary>
    public const int MinimumDays = 30;

    public const int MaximumDays = 36500;

    /// <summary>History that ended more than this many days ago is pruned, except what drift detection still needs.</summary>
    public int Days { get; set; } = 400;

    /// <summary>TLS-RPT reports and refused reports received more than this many days ago are pruned.</summary>
    public int TlsRptDays { get; set; } = 400;

    public TimeSpan TlsRptPeriod => TimeSpan.FromDays(TlsRptDays);

    /// <summary>How often the clustered prune job runs.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromDays(1);

    /// <summary>Rows deleted per statement and transaction: a large first prune never holds its locks for long.</summary>
    public int BatchSize { get; set; } = 1000;

    public TimeSpan Period => TimeSpan.FromDays(Days);

    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (Days is < MinimumDays or > MaximumDays)
            errors.Add($"Retention:Days must be from {MinimumDays} to {MaximumDays}, not {Days} (the weekly digest reads 4 weeks of history).");
        // The domain page charts up to 90 days of reports: keep at least that.
        if (TlsRptDays is < 90 or > MaximumDays)
            errors.Add($"Retention:TlsRptDays must be from 90 to {MaximumDays}, not {TlsRptDays}.");
        if (Interval < TimeSpan.FromMinutes(1))
            errors.Add($"Retention:Interval must be at least 1 minute, not {Interval}.");
        if (BatchSize is < 1 or > 10000)
            errors.Add($"Retention:BatchSize must be from 1 to 10000, not {BatchSize}.");
        return errors;
    }
}
