using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MonitorService.Testing.Dane;
using MonitorService.Tests.Infrastructure;
using static MonitorService.Testing.CheckEnvironment;

namespace MonitorService.Tests.Web;

/// <summary>
/// The DANE column of the domain page's MX table, from a real check by the running service: mx1 publishes a TLSA
/// record (naming a trust anchor whose subject is markup, sent by the server in its chain), mx2 none. The
/// service has no DNSSEC validator yet, so the records are reported as not validated.
/// </summary>
[Collection(PostgresCollection.Name)]
public class DaneColumnTests(PostgresFixture postgres)
{
    [Fact]
    public async Task The_mx_table_shows_dane_per_host_with_attacker_text_encoded()
    {
        await using var service = await ServiceUnderTest.StartAsync(postgres, "web_dane_column");
        // A CA named in markup issues mx1 a certificate for another name; the TLSA record names that CA's intermediate,
        // so the record's problem quotes the intermediate's subject.
        using var hostile = new TestCertificateAuthority("<script>alert(1)</script>", withIntermediate: true);
        service.Env.Smtp.ChainCertificates = hostile.ChainCertificates;
        service.Env.Smtp.SetCertificate(Mx1, hostile.IssueLeaf("other.example.net"));
        service.Env.Zone.AddTlsa("_25._tcp.mx1.example.test", 2, 0, 1, TlsaData.For(hostile.IntermediateCertificate!, 0, 1));
        await service.AddUserAsync("ops@example.test", "ops");
        using var api = service.Client(await service.CreateTokenAsync("ops"));
        var added = await api.PostAsJsonAsync("/api/v1/domains", new { name = Domain, intervalSeconds = 3600, recipients = new[] { "a@example.test" } });
        Assert.Equal(HttpStatusCode.Created, added.StatusCode);
        var id = (await added.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        var report = await WaitForReportAsync(api, id);
        Assert.Equal("not-validated", report.GetProperty("mx")[0].GetProperty("dane").GetProperty("status").GetString());

        using var browser = service.Browser();
        Assert.Equal(HttpStatusCode.Redirect, (await browser.SignInAsync("ops@example.test", ServiceUnderTest.Password)).StatusCode);
        var page = await browser.Http.GetStringAsync(new Uri($"/domains/{id}", UriKind.Relative));

        Assert.Contains("<th>DANE</th>", page, StringComparison.Ordinal);
        var cells = System.Text.RegularExpressions.Regex.Matches(page, "<td class=\"dane ([^\"]*)\" title=\"([^\"]*)\">([^<]*)</td>");
        Assert.Equal(2, cells.Count);
        Assert.Equal(("tone-pending", "not validated"), (cells[0].Groups[1].Value, cells[0].Groups[3].Value));
        Assert.Contains("_25._tcp.mx1.example.test", cells[0].Groups[2].Value, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", cells[0].Groups[2].Value, StringComparison.Ordinal);
        Assert.Equal("none", cells[1].Groups[3].Value);
        Assert.DoesNotContain("<script>alert(1)", page, StringComparison.Ordinal);
    }

    private static async Task<JsonElement> WaitForReportAsync(HttpClient client, Guid id)
    {
        for (var i = 0; i < 150; i++)
        {
            var response = await client.GetAsync(new Uri($"/api/v1/domains/{id}/report", UriKind.Relative));
            if (response.StatusCode == HttpStatusCode.OK)
                return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
            await Task.Delay(200);
        }

        throw new TimeoutException("no report");
    }
}
