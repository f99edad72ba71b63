using System.Net;
using MonitorService.Tests.Infrastructure;
using Npgsql;

namespace MonitorService.Tests.Web;

/// <summary>
/// Sign-in against the real service: rate limits per client address and per account, no lockout an anonymous caller
/// can use against someone else, one answer whether the account exists or not.
/// </summary>
[Trait("Category", "Slow")]
[Collection(PostgresCollection.Name)]
public class SignInTests(PostgresFixture postgres)
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
    public async Task An_attackers_wrong_passwords_do_not_keep_the_real_user_out()
    {
        // Long enough that the few requests below fit in one window however loaded the machine is.
        var window = TimeSpan.FromSeconds(10);
        await using var service = await ServiceUnderTest.StartAsync(postgres, "signin_lockout", new Dictionary<string, string?>
        {
            ["Web:RateLimits:SignInPerAccount"] = "3",
            ["Web:RateLimits:SignInAccountWindow"] = window.ToString(),
        });
        await service.AddUserAsync("ops@example.test", "ops");

        // The real user has signed in from this browser before.
        using var usual = service.Browser(IPAddress.Parse("127.0.0.2"));
        Assert.Equal(HttpStatusCode.Redirect, (await usual.SignInAsync("ops@example.test", ServiceUnderTest.Password)).StatusCode);

        // An attacker spreads wrong passwords for that account over many addresses: after the account's budget for
        // unknown browsers (3 a window, one of them spent by that first sign-in), the attempts are refused (429)
        // without the password being tried. Before, five failures locked the account for 15 minutes against
        // everyone, the right password included.
        var answers = new List<HttpStatusCode>();
        for (var attempt = 1; attempt <= 8; attempt++)
        {
            using var attacker = service.Browser(IPAddress.Parse($"127.0.0.{10 + attempt}"));
            var response = await attacker.SignInAsync("ops@example.test", "wrong password " + attempt);
            answers.Add(response.StatusCode);
            if (response.StatusCode != HttpStatusCode.TooManyRequests)
                Assert.Contains(WrongAnswer, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        Assert.Equal([.. Enumerable.Repeat(HttpStatusCode.OK, 2), .. Enumerable.Repeat(HttpStatusCode.TooManyRequests, 6)], answers);

        // Meanwhile the real user, from the browser that signed in before, gets in with the right password at once.
        var signedIn = await usual.SignInAsync("ops@example.test", ServiceUnderTest.Password);
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        Assert.Equal("/", signedIn.Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.OK, (await usual.Http.GetAsync(new Uri("/", UriKind.Relative))).StatusCode);

        // From a browser the account never signed in from, the right password waits for the window like any
        // attempt, and no longer: once the attacker stops, it gets in after the Retry-After it was given.
        using var fresh = service.Browser(IPAddress.Parse("127.0.0.30"));
        var waiting = await fresh.SignInAsync("ops@example.test", ServiceUnderTest.Password);
        var retryAfter = await AssertTooManyAsync(waiting, window);
        await Task.Delay(retryAfter + TimeSpan.FromMilliseconds(500));
        Assert.Equal(HttpStatusCode.Redirect, (await fresh.SignInAsync("ops@example.test", ServiceUnderTest.Password)).StatusCode);
    }

    [Fact]
    public async Task Unknown_wrong_and_locked_accounts_get_the_same_answer()
    {
        await using var service = await ServiceUnderTest.StartAsync(postgres, "signin_same_answer");
        await service.AddUserAsync("ops@example.test", "ops");
        await service.AddUserAsync("locked@example.test", "ops");
        await using (var connection = new NpgsqlConnection(service.ConnectionString))
        {
            await connection.OpenAsync();
            await using var lockUser = new NpgsqlCommand("UPDATE users SET lockout_end = now() + interval '1 day' WHERE email = 'locked@example.test'", connection);
            Assert.Equal(1, await lockUser.ExecuteNonQueryAsync());
        }

        async Task<(HttpStatusCode, string)> AnswerAsync(string email, string password)
        {
            using var browser = service.Browser();
            var response = await browser.SignInAsync(email, password);
            // The form echoes the address typed; everything else must be the same.
            var body = DashboardBrowser.WithoutTokens(await response.Content.ReadAsStringAsync()).Replace(email, "EMAIL", StringComparison.Ordinal);
            return (response.StatusCode, body);
        }

        var unknown = await AnswerAsync("nobody@example.test", ServiceUnderTest.Password);
        var wrong = await AnswerAsync("ops@example.test", "not the password at all");
        var locked = await AnswerAsync("locked@example.test", ServiceUnderTest.Password);

        Assert.Equal(HttpStatusCode.OK, unknown.Item1);
        Assert.Contains(WrongAnswer, unknown.Item2, StringComparison.Ordinal);
        Assert.Equal(unknown, wrong);
        Assert.Equal(unknown, locked);
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
}
