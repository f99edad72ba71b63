
namespace MonitorService.Mail;

/// <summary>How connections to the mail server are secured.</summary>
public enum SmtpSecurity
{
    /// <summary>Plain text (only for a relay on the same host or a trusted network).</summary>
    None,
    /// <summary>Plain connection upgraded with STARTTLS; refused when the server does not offer it.</summary>
    StartTls,
    /// <summary>TLS from the first byte (implicit TLS, usually port 465).</summary>
    Tls,
}

/// <summary>
/// The mail server (configuration section "Smtp", e.g. <c>Smtp__Host</c>). Without a host, mail is written as .eml
/// files to <see cref="OutboxDirectory"/> instead, so a first run shows what would be sent.
/// </summary>
public sealed class SmtpOptions
{
    public const string SectionName = "Smtp";

    public string? Host { get; set; }
    /// <summary>Null = 587 for StartTls, 465 for Tls, 25 for None.</summary>
    public int? Port { get; set; }
    public SmtpSecurity Security { get; set; } = SmtpSecurity.StartTls;
    public string? Username { get; set; }
    public string? Password { get; set; }
    public string From { get; set; } = "MonitorService <monitorservice@localhost>";
    /// <summary>Where mail goes when no host is configured.</summary>
    public string OutboxDirectory { get; set; } = Path.Combine(".data", "outbox");
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(60);
    /// <summary>A file of CA certificates (PEM) the server's certificate may chain to, besides the system store (private relays, tests).</summary>
    public string? CaFile { get; set; }

    public bool UsesFiles => string.IsNullOrWhiteSpace(Host);

    public int EffectivePort => Port ?? Security switch
    {
        SmtpSecurity.Tls => 465,
        SmtpSecurity.None => 25,
        _ => 587,
    };

    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (Port is < 1 or > 65535)
            errors.Add($"Smtp:Port must be from 1 to 65535, not {Port}.");
        if (!EmailAddress.TryParse(From, out _))
            errors.Add($"Smtp:From must be an e-mail address such as \"MonitorService <monitor@example.com>\", not \"{From}\".");
        if (string.IsNullOrEmpty(Username) != string.IsNullOrEmpty(Password))
            errors.Add("Smtp:Username and Smtp:Password go together: set both or neither.");
        if (Timeout < TimeSpan.FromSeconds(1) || Timeout > TimeSpan.FromMinutes(10))
            errors.Add($"Smtp:Timeout must be from 1 second to 10 minutes, not {Timeout}.");
        if (UsesFiles && string.IsNullOrWhiteSpace(OutboxDirectory))
            errors.Add("Smtp:OutboxDirectory must be set when no Smtp:Host is configured.");
        if (CaFile is not null && !File.Exists(CaFile))
            errors.Add($"Smtp:CaFile {CaFile} does not exist.");
        return errors;
    }
}
