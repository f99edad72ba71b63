using System.Net;
using System.Text;

namespace MonitorService.Testing;

/// <summary>The webhook receiver the alert channel tests deliver to: it must record and answer exactly as scripted.</summary>
public sealed class WebhookReceiverTests : IDisposable
{
    private static readonly IPAddress Ip = IPAddress.Parse("127.0.0.40");
    private static readonly TimeSpan Short = TimeSpan.FromSeconds(5);

    private readonly TestCertificateAuthority _ca = new();

    public void Dispose() => _ca.Dispose();

    [Fact]
    public async Task Records_each_post_and_answers_the_script_then_the_default()
    {
        await using var receiver = await WebhookReceiver.StartAsync(_ca.IssueLeaf("hooks.a.test"), Ip);
        receiver.Enqueue(WebhookAnswer.Error(503, "busy", retryAfter: "7"), WebhookAnswer.Redirect("https://elsewhere.test/"));
        receiver.Route("/other", WebhookAnswer.Error(410, "gone"));
        using var client = LoopbackHttpClient.Create(Ip, _ca, Short);

        async Task<HttpResponseMessage> PostAsync(string body)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, receiver.Url("hooks.a.test")) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
            request.Headers.Add("X-Test", body);
            return await client.SendAsync(request);
        }

        using var first = await PostAsync("{\"n\":1}");
        using var second = await PostAsync("{\"n\":2}");
        using var third = await PostAsync("{\"n\":3}");

        Assert.Equal((HttpStatusCode.ServiceUnavailable, "busy", TimeSpan.FromSeconds(7)), (first.StatusCode, await first.Content.ReadAsStringAsync(), first.Headers.RetryAfter?.Delta));
        Assert.Equal((HttpStatusCode.Found, "https://elsewhere.test/"), (second.StatusCode, second.Headers.Location?.OriginalString));
        Assert.Equal((HttpStatusCode.OK, "ok"), (third.StatusCode, await third.Content.ReadAsStringAsync()));
        using var routed = await client.PostAsync(receiver.Url("hooks.a.test", "/other"), new StringContent("{}"));
        Assert.Equal(HttpStatusCode.Gone, routed.StatusCode);
        Assert.Equal(["{\"n\":1}", "{\"n\":2}", "{\"n\":3}", "{}"], receiver.Requests.Select(r => r.BodyText));
        Assert.All(receiver.Requests.Take(3), r => Assert.Equal(("POST", "/hook", "hooks.a.test"), (r.Method, r.Path, r.Host?.Split(':')[0])));
        Assert.Equal("{\"n\":2}", receiver.Requests[1].Header("x-test"));
    }

    [Fact]
    public async Task A_flooding_answer_keeps_sending_to_a_client_that_keeps_reading()
    {
        await using var receiver = await WebhookReceiver.StartAsync(_ca.IssueLeaf("hooks.a.test"), Ip);
        receiver.Default = WebhookAnswer.Flood();
        using var client = LoopbackHttpClient.Create(Ip, _ca, Short);

        using var request = new HttpRequestMessage(HttpMethod.Post, receiver.Url("hooks.a.test")) { Content = new StringContent("{}") };
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        await using var body = await response.Content.ReadAsStreamAsync();
        var buffer = new byte[64 * 1024];
        long read = 0;
        while (read < 4 * 1024 * 1024)
            read += await body.ReadAsync(buffer);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(read >= 4 * 1024 * 1024);
    }

    [Fact]
    public async Task Without_a_certificate_it_speaks_plain_http()
    {
        await using var receiver = await WebhookReceiver.StartAsync(null, Ip);
        using var client = new HttpClient(new SocketsHttpHandler { UseProxy = false });

        using var response = await client.PostAsync(receiver.Url(Ip.ToString()), new StringContent("{}"));

        Assert.Equal("http", receiver.Url("x").Scheme);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Single(receiver.Requests);
    }
}
