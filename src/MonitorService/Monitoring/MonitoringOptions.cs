namespace MonitorService.Monitoring;

/// <summary>Settings of monitored checks (configuration section "Monitoring").</summary>
public sealed class MonitoringOptions
{
    public const string SectionName = "Monitoring";

    /// <summary>Consecutive checks that must see a transient failure before it becomes an incident or drift.</summary>
    public int ConfirmationChecks { get; set; } = 3;

    /// <summary>How soon a check is repeated after a transient failure; RFC 8461 §3.3 asks for at least 5 minutes.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMinutes(5);

    public TimeSpan DefaultInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// The shortest check interval a domain may have. Five minutes protects the checked servers and follows the
    /// spirit of RFC 8461 §3.3; cluster tests lower it to seconds.
    /// </summary>
    public TimeSpan MinimumInterval { get; set; } = TimeSpan.FromMinutes(5);
    public static readonly TimeSpan MinimumRetryDelay = TimeSpan.FromMinutes(5);

    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (ConfirmationChecks is < 1 or > 20)
            errors.Add($"Monitoring:ConfirmationChecks must be from 1 to 20, not {ConfirmationChecks}.");
        if (RetryDelay < MinimumRetryDelay)
            errors.Add($"Monitoring:RetryDelay must be at least 5 minutes (RFC 8461 §3.3), not {RetryDelay}.");
        if (MinimumInterval < TimeSpan.FromSeconds(1))
            errors.Add($"Monitoring:MinimumInterval must be at least 1 second, not {MinimumInterval}.");
        if (DefaultInterval < MinimumInterval)
            errors.Add($"Monitoring:DefaultInterval must be at least Monitoring:MinimumInterval ({MinimumInterval}), not {DefaultInterval}.");
        return errors;
    }
}
