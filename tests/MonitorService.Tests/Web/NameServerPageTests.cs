using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MonitorService.Testing.Dns;
using MonitorService.Tests.Infrastructure;
using static MonitorService.Testing.CheckEnvironment;

namespace MonitorService.Tests.Web;

/// <summary>The name-server table on the domain page, from a real check of loopback name servers that disagree.</summary>
[Collection(PostgresCollection.Name)]
public class NameServerPageTests(PostgresFixture postgres)
{
    private const string Hostile = "<img src=x onerror=alert(1)>";

    [Fact]
    public async Task The_domain_page_lists_every_server_address_with_its_serial_answers_and_agreement_encoded()
    {
        await using var servers = AuthoritativeServers.Start(Domain, 2026113002, "ns1.example.test", "ns2.example.test");
        servers.Publish(z => z.AddMx(Domain, 10, Mx1).AddMx(Domain, 20, Mx2).AddA(PolicyHost, PolicyIp.ToString()));
        servers.Server("ns1.example.test").Zone.AddTxt($"_mta-sts.{Domain}", "v=STSv1; id=20260101");
        servers.Server("ns2.example.test").Zone.SetSoa(Domain, 2026113001).AddTxt($"_mta-sts.{Domain}", "v=STSv1; id=20251201").AddTxt($"_mta-sts.{Domain}", Hostile);
        await using var service = await ServiceUnderTest.StartAsync(postgres, "web_nameservers", new Dictionary<string, string?>
        {
            ["Checks:AuthoritativeDnsPort"] = servers.Port.ToString(CultureInfo.InvariantCulture),
            ["Checks:SkipSmtp"] = "true",
        });
        servers.DelegateFrom(service.Env.Zone);
        await service.AddUserAsync("ops@example.test", "ops");
        using var api = service.Client(await service.CreateTokenAsync("ops"));
        var created = await api.PostAsJsonAsync("/api/v1/domains", new { name = Domain });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        for (var i = 0; i < 150 && (await api.GetAsync(new Uri($"/api/v1/domains/{id}/report", UriKind.Relative))).StatusCode != HttpStatusCode.OK; i++)
            await Task.Delay(200);

        using var browser = service.Browser();
        Assert.Equal(HttpStatusCode.Redirect, (await browser.SignInAsync("ops@example.test", ServiceUnderTest.Password)).StatusCode);
        var html = await browser.Http.GetStringAsync(new Uri($"/domains/{id}", UriKind.Relative));

        var table = html[html.IndexOf("id=\"name-server-table\"", StringComparison.Ordinal)..];
        table = table[..table.IndexOf("</table>", StringComparison.Ordinal)];
        var rows = table.Split("<tr", StringSplitOptions.None).Skip(2).ToList(); // past the header row
        Assert.Equal(2, rows.Count);
        Assert.Contains("ns1.example.test", rows[0], StringComparison.Ordinal);
        Assert.Contains("127.0.0.41", rows[0], StringComparison.Ordinal);
        Assert.Contains("2026113002", rows[0], StringComparison.Ordinal);
        Assert.Contains("v=STSv1; id=20260101", rows[0], StringComparison.Ordinal);
        Assert.Contains("<td>yes</td>", rows[0], StringComparison.Ordinal);
        Assert.Contains("ns2.example.test", rows[1], StringComparison.Ordinal);
        Assert.Contains("2026113001", rows[1], StringComparison.Ordinal);
        Assert.Contains("<td>NO</td>", rows[1], StringComparison.Ordinal);
        // The hostile TXT record is shown as text, never as markup.
        Assert.Contains("&lt;img src=x onerror=alert(1)&gt;", rows[1], StringComparison.Ordinal);
        Assert.DoesNotContain(Hostile, html, StringComparison.Ordinal);
        Assert.Contains("inconsistent", html, StringComparison.Ordinal);
    }
}
