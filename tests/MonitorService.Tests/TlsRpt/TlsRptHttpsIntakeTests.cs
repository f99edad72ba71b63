using System.Net;
using System.Net.Http.Headers;
using Microsoft.EntityFrameworkCore;
using MonitorService.Storage;
using MonitorService.Storage.Entities;
using MonitorService.Tests.Infrastructure;
using MonitorService.Tests.Web;
using static MonitorService.Tests.TlsRpt.TlsRptFixtures;

namespace MonitorService.Tests.TlsRpt;

/// <summary>POST /tlsrpt through the real host: answers, caps, the rate limit, and that nothing else became anonymous.</summary>
[Collection(PostgresCollection.Name)]
[Trait("Category", "Slow")]
public class TlsRptHttpsIntakeTests(PostgresFixture postgres)
{
    private const string Domain = "reports.test";

    private static HttpContent Body(byte[] bytes, string mediaType)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        return content;
    }

    private static async Task<HttpResponseMessage> PostAsync(HttpClient client, HttpContent content)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/tlsrpt", UriKind.Relative)) { Content = content };
        request.Headers.ExpectContinue = true; // large bodies: the answer comes before the body when it is refused early
        return await client.SendAsync(request);
    }

    [Fact]
    public async Task Reports_are_accepted_once_refused_with_a_reason_and_capped_while_read()
    {
        await using var service = await ServiceUnderTest.StartAsync(postgres, "tlsrpt_https", new Dictionary<string, string?> { ["TlsRpt:RequestsPerAddress"] = "5" });
        await TlsRptIntakeKit.RegisterAsync(service.ConnectionString, "ops", Domain);
        var report = Report("Https Sender", "h-1", Domain, successful: 20, failed: 2);

        using (var sender = service.Client(from: IPAddress.Parse("127.0.0.11")))
        {
            var accepted = await PostAsync(sender, Body(Utf8(report), "application/tlsrpt+json"));
            Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
            Assert.False(accepted.Headers.Contains("Set-Cookie"));
            // The same report again, gzip-compressed but labelled +json: told by its magic bytes, a duplicate, still 2xx.
            var duplicate = await PostAsync(sender, Body(Gzip(report), "application/tlsrpt+json"));
            Assert.Equal(HttpStatusCode.OK, duplicate.StatusCode);
            Assert.Contains("already", await duplicate.Content.ReadAsStringAsync(), StringComparison.Ordinal);

            var wrongType = await PostAsync(sender, Body(Utf8(report), "application/json"));
            Assert.Equal(HttpStatusCode.UnsupportedMediaType, wrongType.StatusCode);
            Assert.Contains("application/tlsrpt+gzip", await wrongType.Content.ReadAsStringAsync(), StringComparison.Ordinal);

            var invalid = await PostAsync(sender, Body(Gzip("{\"organization-name\":\"x\"}"), "application/tlsrpt+gzip"));
            Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
            Assert.Contains("report-id", await invalid.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            Assert.Equal("text/plain", invalid.Content.Headers.ContentType?.MediaType);
        }

        using (var sender = service.Client(from: IPAddress.Parse("127.0.0.12")))
        {
            var foreign = await PostAsync(sender, Body(Utf8(Report("Https Sender", "h-2", "someone-else.test")), "application/tlsrpt+json"));
            Assert.Equal(HttpStatusCode.Forbidden, foreign.StatusCode);
            Assert.Contains("someone-else.test", await foreign.Content.ReadAsStringAsync(), StringComparison.Ordinal);

            // Over Web:MaxRequestBodyBytes (256 KiB) but within TlsRpt:MaxBodyBytes (1 MiB): this path has its own cap.
            var padded = Report("Https Sender", "h-3", Domain) + new string(' ', 600 * 1024);
            Assert.Equal(HttpStatusCode.Accepted, (await PostAsync(sender, Body(Utf8(padded), "application/tlsrpt+json"))).StatusCode);

            var tooLarge = Utf8(Report("Https Sender", "h-4", Domain) + new string(' ', 1024 * 1024));
            var declared = await PostAsync(sender, Body(tooLarge, "application/tlsrpt+json"));
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, declared.StatusCode);
            Assert.Contains("at most 1048576 bytes", await declared.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        using (var sender = service.Client(from: IPAddress.Parse("127.0.0.13")))
        {
            // Chunked, no Content-Length: counted while read, refused at the cap.
            var tooLarge = Utf8(Report("Https Sender", "h-5", Domain) + new string(' ', 1024 * 1024 + 1024));
            var chunked = new StreamContent(new UnknownLengthStream(tooLarge));
            chunked.Headers.ContentType = new MediaTypeHeaderValue("application/tlsrpt+json");
            var response = await PostAsync(sender, chunked);
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        }

        await using (var db = MonitorDb.Create(service.ConnectionString))
        {
            Assert.Equal(["h-1", "h-3"], await db.TlsRptReports.OrderBy(r => r.ReportId).Select(r => r.ReportId).ToListAsync());
            Assert.Equal("127.0.0.11", (await db.TlsRptReports.SingleAsync(r => r.ReportId == "h-1")).SourceDetail);
            Assert.Equal(1, await db.TlsRptRejected.CountAsync());
        }

        using (var flood = service.Client(from: IPAddress.Parse("127.0.0.14")))
        {
            for (var i = 0; i < 5; i++)
                Assert.Equal(HttpStatusCode.Forbidden, (await PostAsync(flood, Body(Utf8(Report("Flood", $"f-{i}", "flood.test")), "application/tlsrpt+json"))).StatusCode);
            var limited = await PostAsync(flood, Body(Utf8(Report("Flood", "f-5", "flood.test")), "application/tlsrpt+json"));
            Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
            Assert.True(limited.Headers.RetryAfter is not null);
        }
    }

    [Fact]
    public async Task Only_the_intake_path_is_anonymous()
    {
        await using var service = await ServiceUnderTest.StartAsync(postgres, "tlsrpt_anon", new Dictionary<string, string?> { ["TlsRpt:Path"] = "/reports/tls" });
        await TlsRptIntakeKit.RegisterAsync(service.ConnectionString, "ops", Domain);
        using var anonymous = service.Client(from: IPAddress.Parse("127.0.0.21"));

        using var atConfiguredPath = new HttpRequestMessage(HttpMethod.Post, new Uri("/reports/tls", UriKind.Relative)) { Content = Body(Utf8(Report("S", "a-1", Domain)), "application/tlsrpt+json") };
        Assert.Equal(HttpStatusCode.Accepted, (await anonymous.SendAsync(atConfiguredPath)).StatusCode);
        // The default path is not mapped when another is configured.
        Assert.Equal(HttpStatusCode.NotFound, (await PostAsync(anonymous, Body(Utf8(Report("S", "a-2", Domain)), "application/tlsrpt+json"))).StatusCode);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, (await anonymous.GetAsync(new Uri("/reports/tls", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync(new Uri("/api/v1/domains", UriKind.Relative))).StatusCode);
        var dashboard = await anonymous.GetAsync(new Uri("/teams", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Redirect, dashboard.StatusCode);
        Assert.Contains("/login", dashboard.Headers.Location?.ToString(), StringComparison.Ordinal);
        using var post = new HttpRequestMessage(HttpMethod.Post, new Uri("/api/v1/domains", UriKind.Relative)) { Content = Body(Utf8("{\"name\":\"x.test\"}"), "application/json") };
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.SendAsync(post)).StatusCode);
    }

    [Fact]
    public async Task A_team_s_own_address_is_a_path_below_the_intake_and_a_trickled_body_is_cut_off()
    {
        await using var service = await ServiceUnderTest.StartAsync(postgres, "tlsrpt_https_team", new Dictionary<string, string?> { ["TlsRpt:BodyReadTimeout"] = "00:00:01" });
        await TlsRptIntakeKit.RegisterAsync(service.ConnectionString, "ops", Domain);
        Team ops;
        await using (var db = MonitorDb.Create(service.ConnectionString))
            ops = await db.Teams.SingleAsync(t => t.Name == "ops");
        using var sender = service.Client(from: IPAddress.Parse("127.0.0.31"));

        async Task<HttpResponseMessage> PostToAsync(string path, string json)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(path, UriKind.Relative)) { Content = Body(Utf8(json), "application/tlsrpt+json") };
            return await sender.SendAsync(request);
        }

        // Over Web:MaxRequestBodyBytes: the intake's own cap holds below its path too.
        Assert.Equal(HttpStatusCode.Accepted, (await PostToAsync($"/tlsrpt/{ops.TlsRptKey}", Report("S", "t-1", Domain) + new string(' ', 600 * 1024))).StatusCode);
        var unknown = await PostToAsync($"/tlsrpt/{TlsRptKeys.New()}", Report("S", "t-2", Domain));
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Contains("No such report address", await unknown.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await PostToAsync($"/tlsrpt/{ops.TlsRptKey}/more", Report("S", "t-3", Domain))).StatusCode);
        await using (var db = MonitorDb.Create(service.ConnectionString))
        {
            var policy = await db.TlsRptPolicies.SingleAsync();
            Assert.Equal([ops.Id], policy.DeliveredToTeams);
            Assert.False(policy.ViaSharedAddress);
        }

        // 10 of 1,000 declared bytes, then nothing: answered 408 after TlsRpt:BodyReadTimeout, not held open.
        using var socket = new System.Net.Sockets.TcpClient();
        await socket.ConnectAsync(IPAddress.Loopback, service.BaseAddress.Port);
        var stream = socket.GetStream();
        await stream.WriteAsync(System.Text.Encoding.ASCII.GetBytes(
            $"POST /tlsrpt/{ops.TlsRptKey} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/tlsrpt+json\r\nContent-Length: 1000\r\n\r\n{{\"organiza"));
        using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var answer = new byte[256];
        var read = await stream.ReadAsync(answer, wait.Token);
        Assert.StartsWith("HTTP/1.1 408", System.Text.Encoding.ASCII.GetString(answer, 0, read), StringComparison.Ordinal);
    }

    /// <summary>A stream that does not tell its length, so HttpClient sends it chunked.</summary>
    private sealed class UnknownLengthStream(byte[] data) : MemoryStream(data)
    {
        public override bool CanSeek => false;
        public override long Length => throw new NotSupportedException();
    }
}
