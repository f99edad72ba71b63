using System.Text;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using MonitorService.Mail;
using MonitorService.Tests.Infrastructure;
using MonitorService.Tests.Monitoring;

namespace MonitorService.Tests.Alerts;

/// <summary>A monitor harness whose mail goes to a loopback SMTP server (plain SMTP on 127.0.0.1).</summary>
public sealed class MailTestKit : IAsyncDisposable
{
    private MailTestKit(MonitorHarness harness, SmtpTestServer mail)
    {
        Harness = harness;
        Mail = mail;
    }

    public MonitorHarness Harness { get; }
    public SmtpTestServer Mail { get; }
    public OutboxDelivery Delivery => Harness.Services.GetRequiredService<OutboxDelivery>();

    public static async Task<MailTestKit> StartAsync(PostgresFixture postgres, string hint, Dictionary<string, string?>? extra = null)
    {
        var mail = await SmtpTestServer.StartAsync(null, "127.0.0.1");
        var settings = new Dictionary<string, string?>
        {
            ["Smtp:Host"] = "127.0.0.1",
            ["Smtp:Port"] = mail.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Smtp:Security"] = "None",
            ["Smtp:From"] = "MonitorService <monitor@example.test>",
            ["Smtp:Timeout"] = "00:00:10",
            ["Alerts:ClaimLease"] = "00:05:00",
            ["Dashboard:BaseUrl"] = "https://monitor.example.test/",
        };
        foreach (var (key, value) in extra ?? [])
            settings[key] = value;
        return new MailTestKit(await MonitorHarness.StartAsync(postgres, hint, settings), mail);
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
    }
}
