namespace MonitorService.TlsRpt.Intake;

/// <summary>Limits of every TLS-RPT intake and the HTTPS endpoint (configuration section "TlsRpt").</summary>
public sealed class TlsRptIntakeOptions
{
    public const string SectionName = "TlsRpt";

    /// <summary>Where senders POST reports (the https URI in the domain's rua=).</summary>
    public string Path { get; set; } = "/tlsrpt";

    /// <summary>The largest body the HTTPS intake reads (413 beyond, counted while reading, whatever Content-Length says).</summary>
    public long MaxBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>
    /// The largest report after gzip, for every intake: a gzip body that inflates to more is refused as soon as
    /// inflating passes this (a gzip bomb is never inflated in full).
    /// </summary>
    public long MaxReportBytes { get; set; } = 20L * 1024 * 1024;

    /// <summary>
    /// How long the HTTPS intake waits for a whole body: a client trickling bytes just above Kestrel's minimum data
    /// rate would otherwise hold a request (and its buffer) for as long as a 1 MiB body takes at 240 bytes/s.
    /// </summary>
    public TimeSpan BodyReadTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Reports per client address per Web:RateLimits:Window at the HTTPS intake.</summary>
    public int RequestsPerAddress { get; set; } = 60;

    /// <summary>How much of a refused report is kept (gzip-compressed) for administrators to look at.</summary>
    public int MaxRejectedBytes { get; set; } = 256 * 1024;

    public IEnumerable<string> Validate()
    {
        if (string.IsNullOrEmpty(Path) || !Path.StartsWith('/') || Path.Length > 200 || Path.Contains('?') || Path.Contains('#')
            || Path.StartsWith("/api", StringComparison.OrdinalIgnoreCase))
            yield return $"TlsRpt:Path must be a path starting with / (not under /api), not '{Path}'.";
        if (MaxBodyBytes is < 16 * 1024 or > 64L * 1024 * 1024)
            yield return $"TlsRpt:MaxBodyBytes must be from 16384 to 67108864, not {MaxBodyBytes}.";
        if (MaxReportBytes < MaxBodyBytes || MaxReportBytes > 256L * 1024 * 1024)
            yield return $"TlsRpt:MaxReportBytes must be from TlsRpt:MaxBodyBytes ({MaxBodyBytes}) to 268435456, not {MaxReportBytes}.";
        if (BodyReadTimeout < TimeSpan.FromSeconds(1) || BodyReadTimeout > TimeSpan.FromMinutes(10))
            yield return $"TlsRpt:BodyReadTimeout must be from 00:00:01 to 00:10:00, not {BodyReadTimeout}.";
        if (RequestsPerAddress < 1)
            yield return $"TlsRpt:RequestsPerAddress must be at least 1, not {RequestsPerAddress}.";
        if (MaxRejectedBytes is < 1024 or > 16 * 1024 * 1024)
            yield return $"TlsRpt:MaxRejectedBytes must be from 1024 to 16777216, not {MaxRejectedBytes}.";
    }
}
