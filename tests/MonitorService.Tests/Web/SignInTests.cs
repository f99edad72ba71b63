using System.Net;
using System.Text.RegularExpressions;
using MonitorService.Tests.Infrastructure;

namespace MonitorService.Tests.Web;

[Collection(PostgresCollection.Name)]
public partial class SignInTests(PostgresFixture postgres)
{
    private const string WrongAnswer = "Wrong e-mail address or password.";

    private static readonly IPAddress Proxy = IPAddress.Parse("127.0.0.2");

    [Fact]
    public async Task Hammering_sign_in_from_one_address_is_answered_429_with_Retry_After()
    {
        await using var service = await ServiceUnderTest.StartAsync(postgres, "signin_hammer", new Dictionary<string, string?>
        {
            ["Web:RateLimits:SignInPerAddress"] = "5",
            ["Web:KnownProxies:0"] = Proxy.ToString(),
        });
        await service.AddUserAsync("ops@example.test", "ops");

        // A direct client (not a configured proxy) cannot escape its budget by inventing X-Forwarded-For addresses;
        // a different account each time, so only the per-address limit is at work.
        using (var attacker = service.Browser(IPAddress.Parse("127.0.0.3")))
        {
            for (var attempt = 1; attempt <= 5; attempt++)
            {
                attacker.Http.DefaultRequestHeaders.Remove("X-Forwarded-For");
                attacker.Http.DefaultRequestHeaders.Add("X-Forwarded-For", $"203.0.113.{attempt}");
                var refused = await attacker.SignInAsync($"user{attempt}@example.test", "wrong password " + attempt);
                Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
                Assert.Contains(WrongAnswer, await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            }
            attacker.Http.DefaultRequestHeaders.Remove("X-Forwarded-For");
            attacker.Http.DefaultRequestHeaders.Add("X-Forwarded-For", "203.0.113.99");
            var limited = await attacker.SignInAsync("user6@example.test", "wrong password 6");
            await AssertTooManyAsync(limited, TimeSpan.FromMinutes(1));

            // The right password does not get through either: the address is limited, not the account.
            await AssertTooManyAsync(await attacker.SignInAsync("ops@example.test", ServiceUnderTest.Password), TimeSpan.FromMinutes(1));
        }

        // Behind the configured proxy each client address has its own budget.
        using (var viaProxy = service.Browser(Proxy))
        {
            viaProxy.Http.DefaultRequestHeaders.Add("X-Forwarded-For", "198.51.100.1");
            for (var attempt = 1; attempt <= 5; attempt++)
                Assert.Equal(HttpStatusCode.OK, (await viaProxy.SignInAsync($"user{attempt}@example.test", "wrong password")).StatusCode);
            await AssertTooManyAsync(await viaProxy.SignInAsync("user6@example.test", "wrong password"), TimeSpan.FromMinutes(1));
            viaProxy.Http.DefaultRequestHeaders.Remove("X-Forwarded-For");
            viaProxy.Http.DefaultRequestHeaders.Add("X-Forwarded-For", "198.51.100.2");
            Assert.Equal(HttpStatusCode.Redirect, (await viaProxy.SignInAsync("ops@example.test", ServiceUnderTest.Password)).StatusCode);
        }
    }

    [Fact]
    public async Task Five_wrong_passwords_lock_the_account_even_against_the_right_one()
    {
        await using var service = await ServiceUnderTest.StartAsync(postgres, "signin_lockout");
        await service.AddUserAsync("ops@example.test", "ops");
        using var handler = new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false };
        using var browser = new HttpClient(handler) { BaseAddress = service.BaseAddress };

        for (var attempt = 1; attempt <= 5; attempt++)
        {
            var page = await SignInAsync(browser, "wrong password " + attempt);
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            Assert.Contains(attempt < 5 ? "Wrong e-mail address or password" : "locked", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        var locked = await SignInAsync(browser, ServiceUnderTest.Password);

        Assert.Equal(HttpStatusCode.OK, locked.StatusCode); // the form again, no redirect into the dashboard
        Assert.Contains("this account is locked for 15 minutes", await locked.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, (await browser.GetAsync(new Uri("/", UriKind.Relative))).StatusCode);
    }

    [Fact]
    public async Task A_sign_in_without_the_anti_forgery_token_is_refused()
    {
        await using var service = await ServiceUnderTest.StartAsync(postgres, "signin_csrf");
        await service.AddUserAsync("ops@example.test", "ops");
        using var client = service.Client();

        var response = await client.PostAsync(new Uri("/login", UriKind.Relative), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Email"] = "ops@example.test",
            ["Password"] = ServiceUnderTest.Password,
        }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    private static async Task<HttpResponseMessage> SignInAsync(HttpClient browser, string password)
    {
        var form = await browser.GetStringAsync(new Uri("/login", UriKind.Relative));
        var token = AntiForgeryField().Match(form).Groups[1].Value;
        return await browser.PostAsync(new Uri("/login", UriKind.Relative), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Email"] = "ops@example.test",
            ["Password"] = password,
            ["__RequestVerificationToken"] = token,
        }));
    }

    /// <summary>Asserts a 429 with a Retry-After of at most <paramref name="window"/>, and returns it.</summary>
    internal static async Task<TimeSpan> AssertTooManyAsync(HttpResponseMessage response, TimeSpan window)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.TooManyRequests, $"{(int)response.StatusCode} instead of 429: {body}");
        var retryAfter = response.Headers.RetryAfter?.Delta;
        Assert.NotNull(retryAfter);
        Assert.InRange(retryAfter.Value, TimeSpan.FromSeconds(1), window + TimeSpan.FromSeconds(1));
        Assert.Contains("try again in", body, StringComparison.OrdinalIgnoreCase);
        return retryAfter.Value;
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex AntiForgeryField();
}
