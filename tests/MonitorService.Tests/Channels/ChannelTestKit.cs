using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MonitorService.Channels;
using MonitorService.Mail;
using MonitorService.Storage.Entities;
using MonitorService.Tests.Alerts;
using MonitorService.Tests.Infrastructure;
using MonitorService.Tests.Monitoring;
using static MonitorService.Testing.CheckEnvironment;

namespace MonitorService.Tests.Channels;

/// <summary>
/// A monitor whose mail goes to a loopback SMTP relay and whose alert channels point at a loopback HTTPS webhook
/// receiver: <see cref="ReceiverHost"/> resolves (through the check environment's DNS, as the engine's resolvers are
/// configured) to <see cref="ReceiverIp"/>, with a certificate from a CA of its own given as Alerts:Webhooks:CaFile.
/// Private targets are allowed unless a test says otherwise: the receiver is on loopback.
/// </summary>
public sealed class ChannelTestKit : IAsyncDisposable
{
    public const string ReceiverHost = "hooks.example.test";
    public const string Mx3 = "mx3.example.test";
    public static readonly IPAddress ReceiverIp = IPAddress.Parse("127.0.0.40");

    private readonly TestCertificateAuthority _ca;
    private readonly string _caFile;

    private ChannelTestKit(MailTestKit mail, WebhookReceiver receiver, TestCertificateAuthority ca, string caFile)
    {
        Mail = mail;
        Receiver = receiver;
        _ca = ca;
        _caFile = caFile;
    }

    public MailTestKit Mail { get; }
    public WebhookReceiver Receiver { get; }
    public MonitorHarness Harness => Mail.Harness;
    public OutboxDelivery Delivery => Mail.Delivery;
    public AlertChannelService Channels => Harness.Services.GetRequiredService<AlertChannelService>();
    public ChannelTester Tester => Harness.Services.GetRequiredService<ChannelTester>();

    /// <summary>The settings a test changes: what is allowed, time limits.</summary>
    public static async Task<ChannelTestKit> StartAsync(PostgresFixture postgres, string hint, Dictionary<string, string?>? extra = null,
        bool allowPrivate = true, bool plainHttpReceiver = false, LogCapture? logs = null)
    {
        var ca = new TestCertificateAuthority("Webhook Test CA");
        var caFile = ca.WriteRootPemFile(Path.Combine(Path.GetTempPath(), $"monitor-webhook-ca-{Guid.NewGuid():N}.pem"));
        var receiver = await WebhookReceiver.StartAsync(plainHttpReceiver ? null : ca.IssueLeaf(ReceiverHost), ReceiverIp);
        var settings = new Dictionary<string, string?>
        {
            ["Alerts:Webhooks:CaFile"] = caFile,
            ["Alerts:Webhooks:AllowPrivateAddresses"] = allowPrivate ? "true" : "false",
        };
        foreach (var (key, value) in extra ?? [])
            settings[key] = value;
        var mail = await MailTestKit.StartAsync(postgres, hint, settings, logs: logs);
        mail.Harness.Env.Zone.AddA(ReceiverHost, ReceiverIp.ToString());
        return new ChannelTestKit(mail, receiver, ca, caFile);
    }

    /// <summary>The team's id (the domains of <see cref="MonitorHarness.AddDomainAsync"/> are team "ops"'s), created when new.</summary>
    public async Task<Guid> TeamAsync(string name = "ops")
    {
        await using var db = Harness.Db();
        if (await db.Teams.FirstOrDefaultAsync(t => t.Name == name) is { } team)
            return team.Id;
        team = new Team { Id = Guid.NewGuid(), Name = name, CreatedAt = Harness.Clock.GetUtcNow() };
        db.Teams.Add(team);
        await db.SaveChangesAsync();
        return team.Id;
    }

    /// <summary>A channel of team "ops" pointing at <c>https://hooks.example.test:PORT{path}</c>.</summary>
    public async Task<(AlertChannel Channel, string? Secret)> AddChannelAsync(Guid team, string kind, string path,
        string? incidentThreshold = null, string? driftThreshold = null, string? name = null) =>
        await Channels.CreateAsync(team, new ChannelInput(name ?? $"{kind} {path}", kind, Receiver.Url(ReceiverHost, path).AbsoluteUri,
            incidentThreshold, driftThreshold, null), "test", CancellationToken.None);

    /// <summary>A healthy first check, then a backup MX outside the policy: an error drift event (and mail) for the team.</summary>
    public async Task<Guid> DriftAsync()
    {
        var id = await Harness.AddDomainAsync();
        await Harness.CheckAsync(id);
        Harness.Clock.Advance(TimeSpan.FromHours(1));
        Harness.Env.Zone.AddMx(Domain, 30, Mx3).AddA(Mx3, MxSpareIp.ToString());
        Harness.Env.Smtp.SetCertificate(Mx3, Harness.Env.Ca.IssueLeaf(Mx3));
        await Harness.CheckAsync(id);
        return id;
    }

    public IReadOnlyList<WebhookRequest> RequestsTo(string path) => Receiver.Requests.Where(r => r.Path == path).ToList();

    public static JsonElement Json(WebhookRequest request) => JsonDocument.Parse(request.Body).RootElement.Clone();

    public async Task<List<OutboxMessage>> ChannelDeliveriesAsync()
    {
        await using var db = Harness.Db();
        return await db.Outbox.AsNoTracking().Where(m => m.Channel != OutboxChannels.Mail).OrderBy(m => m.Id).ToListAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await Mail.DisposeAsync();
        await Receiver.DisposeAsync();
        _ca.Dispose();
        File.Delete(_caFile);
    }
}
