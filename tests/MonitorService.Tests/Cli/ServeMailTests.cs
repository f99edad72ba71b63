using System.Net;
using Microsoft.EntityFrameworkCore;
using MonitorService.Cli;
using MonitorService.Storage;
using MonitorService.Tests.Infrastructure;
using MonitorService.Tests.Monitoring;
using static MonitorService.Testing.CheckEnvironment;

namespace MonitorService.Tests.Cli;

/// <summary>The whole path as deployed: a drift found by a monitored check reaches a real SMTP relay, once, through `serve`'s delivery job.</summary>
[Trait("Category", "Slow")]
[Collection(PostgresCollection.Name)]
public class ServeMailTests(PostgresFixture postgres)
{
    [Fact]
    public async Task A_drift_alert_is_delivered_once_over_starttls_by_the_running_service()
    {
        await using var env = (await StartAsync()).PublishHealthyDomain();
        await using var relay = await SmtpTestServer.StartAsync(env.Ca.IssueLeaf("localhost"), "127.0.0.1");
        var settings = MonitorHarness.Settings(env);
        settings["ConnectionStrings:Monitor"] = await postgres.CreateDatabaseAsync("serve_mail");
        settings["urls"] = $"http://127.0.0.1:{SharedPort.Probe(IPAddress.Loopback)}";
        settings["Scheduling:ReconcileInterval"] = "00:00:01";
        settings["Smtp:Host"] = "localhost";
        settings["Smtp:Port"] = relay.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        settings["Smtp:Security"] = "StartTls";
        settings["Smtp:CaFile"] = settings["Checks:CaFile"];
        settings["Smtp:From"] = "MonitorService <monitor@example.test>";
        settings["Alerts:DeliveryInterval"] = "00:00:01";
        var output = new StringWriter();
        Assert.True(0 == await CommandLineApp.RunAsync(["migrate"], output, output, settings, CancellationToken.None), output.ToString());
        Assert.True(0 == await CommandLineApp.RunAsync(["domains", "add", Domain, "--recipients", "ops@example.test"], output, output, settings, CancellationToken.None), output.ToString());

        using var stop = new CancellationTokenSource();
        var serve = Task.Run(() => CommandLineApp.RunAsync(["serve"], TextWriter.Null, TextWriter.Null, settings, stop.Token));
        try
        {
            await using (var db = MonitorDb.Create(settings["ConnectionStrings:Monitor"]!))
            {
                for (var i = 0; i < 300 && (await db.Domains.AsNoTracking().SingleAsync()).LastCheckedAt is null; i++)
                    await Task.Delay(100);
            }

            // mx2 drops out of the policy (with a new id): the next monitored check finds it and queues the alert.
            env.Https.SetResponse(PolicyHost, PolicyResponse.Policy("enforce", 604800, Mx1));
            env.Zone.Remove($"_mta-sts.{Domain}", "TXT");
            env.Zone.AddTxt($"_mta-sts.{Domain}", "v=STSv1; id=20260401");
            Assert.True(1 == await CommandLineApp.RunAsync(["domains", "check", Domain], output, output, settings, CancellationToken.None), output.ToString());

            var mail = Assert.Single(await relay.WaitForMessagesAsync(1, TimeSpan.FromSeconds(30)));
            Assert.Equal(["ops@example.test"], mail.Recipients);
            Assert.Equal("monitor@example.test", mail.MailFrom);
            Assert.True(mail.OverTls);
            Assert.Contains("Subject: [MonitorService] example.test:", mail.Data, StringComparison.Ordinal);
            Assert.Contains("mx2.example.test", mail.Data, StringComparison.Ordinal);

            // Several more delivery runs: still one mail.
            await Task.Delay(TimeSpan.FromSeconds(4));
            Assert.Single(relay.Messages);
        }
        finally
        {
            await stop.CancelAsync();
        }
        Assert.Equal(0, await serve.WaitAsync(TimeSpan.FromSeconds(60)));
    }
}
