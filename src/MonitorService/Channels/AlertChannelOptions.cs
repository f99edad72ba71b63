namespace MonitorService.Channels;

/// <summary>
/// Alert channels (configuration section "Alerts:Webhooks"). Their URLs are typed in by users, so what the service
/// connects to is bounded like everything a checked domain publishes: HTTPS only, guarded addresses, no redirects,
/// bounded reads and time limits.
/// </summary>
public sealed class AlertChannelOptions
{
    public const string SectionName = "Alerts:Webhooks";

    /// <summary>Response bytes read per delivery (status and headers come first; the body only goes into the alert log).</summary>
    public const int MaxResponseBytes = 64 * 1024;

    /// <summary>Response header bytes accepted per delivery, in KiB (SocketsHttpHandler's unit).</summary>
    public const int MaxResponseHeaderKiB = 64;

    /// <summary>"Send a test" of one channel at most this often, across the cluster.</summary>
    public static readonly TimeSpan TestSpacing = TimeSpan.FromSeconds(10);

    /// <summary>Permit http:// URLs (a receiver on a closed network); otherwise only https://.</summary>
    public bool AllowHttp { get; set; }

    /// <summary>Permit loopback, private, link-local and the other non-public targets (closed networks, tests).</summary>
    public bool AllowPrivateAddresses { get; set; }

    /// <summary>PEM file of extra roots a receiver's certificate may chain to, besides the system's (private CAs, tests).</summary>
    public string? CaFile { get; set; }

    /// <summary>Time limit of the TCP connection to one address of the receiver.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Time limit of one delivery: name lookup, connection, TLS, request and answer.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Channels one team may have.</summary>
    public int MaxPerTeam { get; set; } = 20;

    /// <param name="claimLease">Alerts:ClaimLease: one send may take at most half of it (OutboxDelivery).</param>
    public IReadOnlyList<string> Validate(TimeSpan claimLease)
    {
        var errors = new List<string>();
        if (ConnectTimeout < TimeSpan.FromSeconds(1) || ConnectTimeout > TimeSpan.FromMinutes(1))
            errors.Add($"{SectionName}:ConnectTimeout must be from 1 second to 1 minute, not {ConnectTimeout}.");
        if (Timeout < ConnectTimeout || Timeout > TimeSpan.FromMinutes(2))
            errors.Add($"{SectionName}:Timeout must be at least {SectionName}:ConnectTimeout and at most 2 minutes, not {Timeout}.");
        if (Timeout > claimLease / 2)
            errors.Add($"{SectionName}:Timeout ({Timeout}) must be at most half of Alerts:ClaimLease ({claimLease}): a delivery must end while its claim holds.");
        if (MaxPerTeam is < 1 or > 1000)
            errors.Add($"{SectionName}:MaxPerTeam must be from 1 to 1000, not {MaxPerTeam}.");
        if (CaFile is not null && !File.Exists(CaFile))
            errors.Add($"{SectionName}:CaFile {CaFile} does not exist.");
        return errors;
    }
}
