using System.Text;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using MonitorService.Mail;
using MonitorService.Tests.Infrastructure;
using MonitorService.Tests.Monitoring;

namespace MonitorService.Tests.Alerts;

/// <summary>
/// A monitor harness whose mail goes to a loopback SMTP server on 127.0.0.1: plain SMTP by default, or STARTTLS or
/// implicit TLS with a certificate for "localhost" from the relay's own CA (given to the service as Smtp:CaFile).
/// </summary>
public sealed class MailTestKit : IAsyncDisposable
{
    private readonly TestCertificateAuthority? _relayCa;
    private readonly string? _relayCaFile;

    private MailTestKit(MonitorHarness harness, SmtpTestServer mail, TestCertificateAuthority? relayCa, string? relayCaFile)
    {
        Harness = harness;
        Mail = mail;
        _relayCa = relayCa;
        _relayCaFile = relayCaFile;
    }

    public MonitorHarness Harness { get; }
    public SmtpTestServer Mail { get; }
    public OutboxDelivery Delivery => Harness.Services.GetRequiredService<OutboxDelivery>();

    /// <param name="security">How the service reaches the relay; with TLS the relay has a trusted certificate for "localhost".</param>
    /// <param name="logs">Receives every log entry of the service.</param>
    public static async Task<MailTestKit> StartAsync(PostgresFixture postgres, string hint, Dictionary<string, string?>? extra = null,
        SmtpSecurity security = SmtpSecurity.None, LogCapture? logs = null)
    {
        TestCertificateAuthority? ca = null;
        string? caFile = null;
        if (security != SmtpSecurity.None)
        {
            ca = new TestCertificateAuthority("Relay Test CA");
            caFile = ca.WriteRootPemFile(Path.Combine(Path.GetTempPath(), $"monitor-relay-ca-{Guid.NewGuid():N}.pem"));
        }
        var mail = await SmtpTestServer.StartAsync(ca?.IssueLeaf("localhost"), "127.0.0.1");
        mail.ImplicitTls = security == SmtpSecurity.Tls;
        var settings = new Dictionary<string, string?>
        {
            ["Smtp:Host"] = security == SmtpSecurity.None ? "127.0.0.1" : "localhost",
            ["Smtp:Port"] = mail.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Smtp:Security"] = security.ToString(),
            ["Smtp:CaFile"] = caFile,
            ["Smtp:From"] = "MonitorService <monitor@example.test>",
            ["Smtp:Timeout"] = "00:00:10",
            ["Alerts:ClaimLease"] = "00:05:00",
            ["Dashboard:BaseUrl"] = "https://monitor.example.test/",
        };
        foreach (var (key, value) in extra ?? [])
            settings[key] = value;
        return new MailTestKit(await MonitorHarness.StartAsync(postgres, hint, settings, logs), mail, ca, caFile);
    }

    public static MimeMessage Parse(SmtpReceivedMessage received) => MimeMessage.Load(new MemoryStream(Encoding.UTF8.GetBytes(received.Data)));

    /// <summary>The header names of a received message, in order, as they are on the wire.</summary>
    public static IReadOnlyList<string> HeaderNames(SmtpReceivedMessage received)
    {
        var head = received.Data[..received.Data.IndexOf("\r\n\r\n", StringComparison.Ordinal)];
        return head.Split("\r\n").Where(l => l.Length > 0 && l[0] is not (' ' or '\t')).Select(l => l[..l.IndexOf(':', StringComparison.Ordinal)]).ToList();
    }

    public async ValueTask DisposeAsync()
    {
        await Harness.DisposeAsync();
        await Mail.DisposeAsync();
        _relayCa?.Dispose();
        if (_relayCaFile is not null)
            File.Delete(_relayCaFile);
    }
}
