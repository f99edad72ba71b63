namespace MonitorService.Mail;

/// <summary>
/// How the outbox is delivered (configuration section "Alerts", where these settings have always been: the keys did
/// not move with the class).
/// </summary>
public sealed class DeliveryOptions
{
    public const string SectionName = "Alerts";

    /// <summary>How often a node looks for mail to deliver.</summary>
    public TimeSpan DeliveryInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Messages claimed per delivery run.</summary>
    public int BatchSize { get; set; } = 50;

    /// <summary>
    /// How long a claim holds: a node that dies mid-delivery leaves its messages to the others after this. Each message's
    /// claim is renewed right before its send, and one send may take at most half of this (so it ends while the claim
    /// holds and no other node sends it too); at least twice Smtp:Timeout, so that half still fits one slow reply.
    /// </summary>
    public TimeSpan ClaimLease { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>First wait after a transient failure; doubled each attempt up to <see cref="MaxBackoff"/>.</summary>
    public TimeSpan InitialBackoff { get; set; } = TimeSpan.FromMinutes(1);

    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How long transient failures are retried before the message counts as failed (at least 24 hours).</summary>
    public TimeSpan RetryFor { get; set; } = TimeSpan.FromHours(48);

    public IReadOnlyList<string> Validate(TimeSpan smtpTimeout)
    {
        var errors = new List<string>();
        if (DeliveryInterval < TimeSpan.FromSeconds(1))
            errors.Add($"Alerts:DeliveryInterval must be at least 1 second, not {DeliveryInterval}.");
        if (BatchSize is < 1 or > 1000)
            errors.Add($"Alerts:BatchSize must be from 1 to 1000, not {BatchSize}.");
        if (ClaimLease < smtpTimeout * 2)
            errors.Add($"Alerts:ClaimLease ({ClaimLease}) must be at least twice Smtp:Timeout ({smtpTimeout}): one send may take at most half the lease, which must fit a slow reply.");
        if (InitialBackoff < TimeSpan.FromSeconds(1) || MaxBackoff < InitialBackoff)
            errors.Add("Alerts:InitialBackoff must be at least 1 second and Alerts:MaxBackoff at least as long.");
        if (RetryFor < TimeSpan.FromHours(24))
            errors.Add($"Alerts:RetryFor must be at least 24 hours, not {RetryFor}.");
        return errors;
    }
}
