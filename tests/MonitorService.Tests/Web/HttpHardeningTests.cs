using System.Net;
using System.Text;
using MonitorService.Cli;
using MonitorService.Tests.Infrastructure;

namespace MonitorService.Tests.Web;

/// <summary>What every response carries and what every request may be: security headers, HTTPS behind a proxy, body caps.</summary>
[Collection(PostgresCollection.Name)]
public class HttpHardeningTests(PostgresFixture postgres)
{
    private static readonly IPAddress Proxy = IPAddress.Parse("127.0.0.2");
    private static readonly IPAddress NotAProxy = IPAddress.Parse("127.0.0.3");

    private static void AssertSecurityHeaders(HttpResponseMessage response, string what)
    {
        Assert.True(response.Headers.TryGetValues("Content-Security-Policy", out var csp), $"{what} ({(int)response.StatusCode}) has no CSP");
        Assert.Contains("script-src 'self'", csp.Single(), StringComparison.Ordinal);
        Assert.True(response.Headers.TryGetValues("X-Frame-Options", out var frame) && frame.Single() == "DENY", $"{what}: X-Frame-Options");
        Assert.True(response.Headers.TryGetValues("X-Content-Type-Options", out var sniff) && sniff.Single() == "nosniff", $"{what}: nosniff");
        Assert.True(response.Headers.TryGetValues("Referrer-Policy", out _), $"{what}: Referrer-Policy");
    }

    [Fact]
    public async Task Security_headers_are_on_every_response_also_401_403_404_and_429()
    {
        await using var service = await ServiceUnderTest.StartAsync(postgres, "http_headers", new Dictionary<string, string?>
        {
            ["Web:RateLimits:PerAnonymousAddress"] = "3",
        });
        using var anonymous = service.Client(from: IPAddress.Parse("127.0.0.4"));
        using var forged = service.Client("mts_not-a-real-token", IPAddress.Parse("127.0.0.5"));
        using var browser = service.Browser(IPAddress.Parse("127.0.0.6"));

        var unauthorized = await anonymous.GetAsync(new Uri("/api/v1/domains", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Unauthorized, unauthorized.StatusCode);
        AssertSecurityHeaders(unauthorized, "API without a token");
        var wrongToken = await forged.GetAsync(new Uri("/api/v1/domains", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Unauthorized, wrongToken.StatusCode);
        AssertSecurityHeaders(wrongToken, "API with a wrong token");
        var toSignIn = await browser.Http.GetAsync(new Uri("/teams", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Redirect, toSignIn.StatusCode);
        AssertSecurityHeaders(toSignIn, "dashboard without a session");
        var noRoute = await anonymous.GetAsync(new Uri("/api/v1/nothing-here", UriKind.Relative));
        AssertSecurityHeaders(noRoute, "unknown API path");
        var badForm = await browser.Http.PostAsync(new Uri("/login", UriKind.Relative), new FormUrlEncodedContent(new Dictionary<string, string> { ["Email"] = "x" }));
        Assert.Equal(HttpStatusCode.BadRequest, badForm.StatusCode);
        AssertSecurityHeaders(badForm, "sign-in without anti-forgery token");

        HttpResponseMessage limited;
        do
            limited = await anonymous.GetAsync(new Uri("/api/v1/domains", UriKind.Relative));
        while (limited.StatusCode == HttpStatusCode.Unauthorized);
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        AssertSecurityHeaders(limited, "rate-limited API request");
    }

    [Fact]
    public async Task Secure_cookies_and_HSTS_only_when_a_configured_proxy_says_HTTPS()
    {
        await using var service = await ServiceUnderTest.StartAsync(postgres, "http_proxy", new Dictionary<string, string?>
        {
            ["Web:KnownProxies:0"] = Proxy.ToString(),
        });
        await service.AddUserAsync("ops@example.test", "ops");

        // Through the configured proxy, which terminated TLS: every cookie is Secure and HSTS is sent.
        var (formCookies, signInCookies, hsts) = await SignInThroughAsync(service, Proxy);
        Assert.All(formCookies.Concat(signInCookies), c => Assert.Contains("; secure", c, StringComparison.OrdinalIgnoreCase));
        Assert.Contains(signInCookies, c => c.StartsWith("monitor.auth=", StringComparison.Ordinal));
        Assert.NotNull(hsts);
        Assert.Contains("max-age=", hsts, StringComparison.Ordinal);

        // The same headers from a client that is not a configured proxy are ignored: plain HTTP, no Secure, no HSTS.
        (formCookies, signInCookies, hsts) = await SignInThroughAsync(service, NotAProxy);
        Assert.Contains(signInCookies, c => c.StartsWith("monitor.auth=", StringComparison.Ordinal));
        Assert.All(formCookies.Concat(signInCookies), c => Assert.DoesNotContain("; secure", c, StringComparison.OrdinalIgnoreCase));
        Assert.Null(hsts);
    }

    /// <summary>Signs in from <paramref name="from"/> claiming X-Forwarded-Proto: https; returns the cookies set by the form and the sign-in, and the HSTS header.</summary>
    private static async Task<(List<string> Form, List<string> SignIn, string? Hsts)> SignInThroughAsync(ServiceUnderTest service, IPAddress from)
    {
        // Cookies by hand: a cookie container would not send Secure cookies over the http:// the proxy talks to us.
        using var client = new HttpClient(LoopbackHttp.Handler(from)) { BaseAddress = service.BaseAddress };
        client.DefaultRequestHeaders.Add("X-Forwarded-Proto", "https");
        client.DefaultRequestHeaders.Add("X-Forwarded-For", "198.51.100.20");
        var form = await client.GetAsync(new Uri("/login", UriKind.Relative));
        var formCookies = form.Headers.TryGetValues("Set-Cookie", out var set) ? set.ToList() : [];
        var token = DashboardBrowser.AntiForgeryToken(await form.Content.ReadAsStringAsync());
        using var post = new HttpRequestMessage(HttpMethod.Post, new Uri("/login", UriKind.Relative))
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["Email"] = "ops@example.test",
                ["Password"] = ServiceUnderTest.Password,
                ["__RequestVerificationToken"] = token,
            }),
        };
        post.Headers.Add("Cookie", string.Join("; ", formCookies.Select(c => c.Split(';')[0])));
        var signIn = await client.SendAsync(post);
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        var signInCookies = signIn.Headers.TryGetValues("Set-Cookie", out var setAfter) ? setAfter.ToList() : [];
        return (formCookies, signInCookies, signIn.Headers.TryGetValues("Strict-Transport-Security", out var sts) ? sts.Single() : null);
    }

    [Fact]
    public async Task Oversized_bodies_are_refused_before_they_are_read()
    {
        await using var service = await ServiceUnderTest.StartAsync(postgres, "http_body_caps");
        await service.AddUserAsync("ops@example.test", "ops");
        using var api = service.Client(await service.CreateTokenAsync("ops"));

        // 1 MiB of JSON: refused as too large (413), not parsed and then found invalid. Sent as curl sends large
        // bodies (Expect: 100-continue): the answer comes before the body, so the client reads it instead of
        // finding the connection closed while it still writes.
        var huge = new StringContent($$"""{"name":"{{new string('a', 1 << 20)}}.example"}""", Encoding.UTF8, "application/json");
        var response = await SendExpectingContinueAsync(api, "/api/v1/domains", huge);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);

        // A 1 MiB bulk-add box (the form limit was 4 MiB per value): refused before any line is looked at.
        using var browser = service.Browser();
        Assert.Equal(HttpStatusCode.Redirect, (await browser.SignInAsync("ops@example.test", ServiceUnderTest.Password)).StatusCode);
        var page = await browser.Http.GetStringAsync(new Uri("/domains/add", UriKind.Relative));
        var names = string.Join('\n', Enumerable.Range(0, 1 << 20 >> 5).Select(i => $"d{i:D8}.example.test.............."));
        var post = await SendExpectingContinueAsync(browser.Http, "/domains/add", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Names"] = names,
            ["__RequestVerificationToken"] = DashboardBrowser.AntiForgeryToken(page),
        }));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, post.StatusCode);
        Assert.Contains("too large", await post.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(0, (await service.CliAsync("domains", "list", "--format", "json")).Split("\"name\"").Length - 1);
    }

    private static async Task<HttpResponseMessage> SendExpectingContinueAsync(HttpClient client, string path, HttpContent content)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(path, UriKind.Relative)) { Content = content };
        request.Headers.ExpectContinue = true;
        return await client.SendAsync(request);
    }

    [Fact]
    public async Task Bad_web_and_domain_settings_stop_the_start()
    {
        foreach (var (key, value) in new[] { ("Web:KnownProxies:0", "not-an-address"), ("Web:KnownNetworks:0", "10.0.0.0/99"), ("Web:RateLimits:PerToken", "0"), ("Domains:MaxPerTeam", "-1") })
        {
            var settings = new Dictionary<string, string?> { ["ConnectionStrings:Monitor"] = await postgres.CreateDatabaseAsync("http_bad_settings") };
            var stderr = new StringWriter();
            Assert.Equal(0, await CommandLineApp.RunAsync(["migrate"], TextReader.Null, TextWriter.Null, stderr, settings, CancellationToken.None));
            settings[key] = value;
            // A serve that starts despite the setting runs until this gives up on it.
            using var giveUp = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            var exit = await CommandLineApp.RunAsync(["serve", "--urls", "http://127.0.0.1:0"], TextReader.Null, TextWriter.Null, stderr, settings, giveUp.Token);
            Assert.True(exit == ExitCodes.Config, $"{key}={value}: exit {exit}: {stderr}");
            Assert.Contains(key.Split(':')[0] + ":" + key.Split(':')[1], stderr.ToString(), StringComparison.Ordinal);
        }
    }
}
