namespace MonitorService.TlsRpt.Mailbox;

/// <summary>How the connection to the mailbox is secured.</summary>
public enum MailboxSecurity
{
    /// <summary>Plain text (only for a server on the same host or a trusted network).</summary>
    None,
    /// <summary>Plain connection upgraded with STARTTLS; refused when the server does not offer it.</summary>
    StartTls,
    /// <summary>TLS from the first byte (IMAPS, usually port 993).</summary>
    Tls,
}

/// <summary>
/// The IMAP mailbox that receives TLS-RPT reports sent to a <c>rua=mailto:</c> address (configuration section
/// "TlsRpt:Imap", e.g. <c>TlsRpt__Imap__Password</c> from the environment). Without a host the mailbox intake is off.
/// </summary>
public sealed class MailboxOptions
{
    public const string SectionName = "TlsRpt:Imap";

    public string? Host { get; set; }
    /// <summary>Null = 993 for Tls, 143 otherwise.</summary>
    public int? Port { get; set; }
    public MailboxSecurity Security { get; set; } = MailboxSecurity.Tls;
    public string? User { get; set; }
    public string? Password { get; set; }
    /// <summary>Where reports arrive.</summary>
    public string Folder { get; set; } = "INBOX";
    /// <summary>Where imported messages (stored, duplicates, not about a registered domain) are moved; created when missing.</summary>
    public string DoneFolder { get; set; } = "TlsRpt-Done";
    /// <summary>Where reports that cannot be parsed are moved; created when missing.</summary>
    public string InvalidFolder { get; set; } = "TlsRpt-Invalid";
    /// <summary>How often the clustered job reads the mailbox (and, with IDLE, how often it reconnects).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMinutes(5);
    /// <summary>Wait for new mail with IDLE between passes, where the server offers it.</summary>
    public bool Idle { get; set; } = true;
    /// <summary>How long one job run may wait in IDLE: shorter than the poll interval, so every run ends and another node may take the next.</summary>
    public TimeSpan IdleFor { get; set; } = TimeSpan.FromMinutes(4);
    /// <summary>Larger messages are left in the folder unread (and logged once): no report needs more.</summary>
    public int MaxMessageBytes { get; set; } = 20 * 1024 * 1024;
    /// <summary>Messages handled per pass; the rest wait for the next pass.</summary>
    public int MaxMessagesPerPass { get; set; } = 100;
    /// <summary>Limit for connecting, logging in and each command.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);
    /// <summary>A file of CA certificates (PEM) the server's certificate may chain to, besides the system store (private servers, tests).</summary>
    public string? CaFile { get; set; }

    public bool Enabled => !string.IsNullOrWhiteSpace(Host);

    public int EffectivePort => Port ?? (Security == MailboxSecurity.Tls ? 993 : 143);

    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (!Enabled)
            return errors;
        if (Port is < 1 or > 65535)
            errors.Add($"TlsRpt:Imap:Port must be from 1 to 65535, not {Port}.");
        if (string.IsNullOrWhiteSpace(User) || string.IsNullOrEmpty(Password))
            errors.Add("TlsRpt:Imap:User and TlsRpt:Imap:Password must be set when TlsRpt:Imap:Host is (the password from the environment: TlsRpt__Imap__Password).");
        foreach (var (name, value) in new[] { ("Folder", Folder), ("DoneFolder", DoneFolder), ("InvalidFolder", InvalidFolder) })
        {
            if (string.IsNullOrWhiteSpace(value))
                errors.Add($"TlsRpt:Imap:{name} must be set.");
        }
        if (string.Equals(DoneFolder, Folder, StringComparison.OrdinalIgnoreCase) || string.Equals(InvalidFolder, Folder, StringComparison.OrdinalIgnoreCase))
            errors.Add("TlsRpt:Imap:DoneFolder and TlsRpt:Imap:InvalidFolder must differ from TlsRpt:Imap:Folder (handled messages are moved out of it).");
        if (PollInterval < TimeSpan.FromSeconds(1) || PollInterval > TimeSpan.FromDays(1))
            errors.Add($"TlsRpt:Imap:PollInterval must be from 1 second to 1 day, not {PollInterval}.");
        // RFC 2177 asks clients to re-issue IDLE at least every 29 minutes.
        if (Idle && (IdleFor <= TimeSpan.Zero || IdleFor >= PollInterval || IdleFor > TimeSpan.FromMinutes(25)))
            errors.Add($"TlsRpt:Imap:IdleFor must be more than 0, less than TlsRpt:Imap:PollInterval ({PollInterval}) and at most 25 minutes, not {IdleFor}.");
        if (MaxMessageBytes is < 64 * 1024 or > 100 * 1024 * 1024)
            errors.Add($"TlsRpt:Imap:MaxMessageBytes must be from 65536 to 104857600, not {MaxMessageBytes}.");
        if (MaxMessagesPerPass is < 1 or > 10_000)
            errors.Add($"TlsRpt:Imap:MaxMessagesPerPass must be from 1 to 10000, not {MaxMessagesPerPass}.");
        if (Timeout < TimeSpan.FromSeconds(1) || Timeout > TimeSpan.FromMinutes(10))
            errors.Add($"TlsRpt:Imap:Timeout must be from 1 second to 10 minutes, not {Timeout}.");
        if (CaFile is not null && !File.Exists(CaFile))
            errors.Add($"TlsRpt:Imap:CaFile {CaFile} does not exist.");
        return errors;
    }
}
