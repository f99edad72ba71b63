using System.Net;

namespace MonitorService.Web.Security;

/// <summary>Settings of the web host's perimeter (configuration section "Web"): proxies, request sizes, rate limits.</summary>
public sealed class WebOptions
{
    public const string SectionName = "Web";

    /// <summary>
    /// Addresses of reverse proxies whose X-Forwarded-For / X-Forwarded-Proto are believed. Empty (the default):
    /// forwarded headers are ignored, even from loopback, so no client can claim another address or HTTPS.
    /// </summary>
    public List<string> KnownProxies { get; set; } = [];

    /// <summary>Networks (CIDR, such as 10.0.0.0/8) whose every address is a trusted proxy.</summary>
    public List<string> KnownNetworks { get; set; } = [];

    /// <summary>
    /// The largest request body (forms and API bodies) in bytes. Larger ones are refused (413) before they are read.
    /// The default fits the bulk-add box at its line cap several times over.
    /// </summary>
    public long MaxRequestBodyBytes { get; set; } = 256 * 1024;

    /// <summary>How long browsers keep to HTTPS once they saw the service over HTTPS (Strict-Transport-Security).</summary>
    public TimeSpan HstsMaxAge { get; set; } = TimeSpan.FromDays(365);

    public RateLimitOptions RateLimits { get; set; } = new();

    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        foreach (var proxy in KnownProxies.Where(p => !IPAddress.TryParse(p.Trim(), out _)))
            errors.Add($"Web:KnownProxies: '{proxy}' is not an IP address.");
        foreach (var network in KnownNetworks.Where(n => !IPNetwork.TryParse(n.Trim(), out _)))
            errors.Add($"Web:KnownNetworks: '{network}' is not a network in CIDR notation (such as 10.0.0.0/8).");
        if (MaxRequestBodyBytes is < 16 * 1024 or > 64L * 1024 * 1024)
            errors.Add($"Web:MaxRequestBodyBytes must be from 16384 to 67108864, not {MaxRequestBodyBytes}.");
        if (HstsMaxAge < TimeSpan.Zero)
            errors.Add($"Web:HstsMaxAge must not be negative, not {HstsMaxAge}.");
        errors.AddRange(RateLimits.Validate());
        return errors;
    }

    public IEnumerable<IPAddress> ProxyAddresses() => KnownProxies.Select(p => IPAddress.Parse(p.Trim()));

    public IEnumerable<IPNetwork> ProxyNetworks() => KnownNetworks.Select(n => IPNetwork.Parse(n.Trim()));
}
