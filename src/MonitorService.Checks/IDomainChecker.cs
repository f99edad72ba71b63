using MonitorService.Checks.Model;

namespace MonitorService.Checks;

/// <summary>The engine's one call: a domain in, a report with findings out.</summary>
public interface IDomainChecker
{
    /// <param name="domain">A normalised domain name (lower case, A-labels, no trailing dot).</param>
    Task<CheckReport> CheckAsync(string domain, CancellationToken cancellationToken = default);
}
