using System.Net;
using Microsoft.EntityFrameworkCore;
using MonitorService.Cli;
using MonitorService.Storage.Entities;
using MonitorService.Tests.Infrastructure;

namespace MonitorService.Tests.Web;

/// <summary>
/// Single sign-on against a real OpenID Connect provider on loopback, at the HTTP level: the whole
/// authorization-code flow with the real service, accounts keyed by issuer and subject, teams and administrator
/// rights following the provider's groups claim, and what must not work (taking over an account by e-mail, leaving
/// for another site, hammering the callback, passwords when they are turned off).
/// </summary>
[Trait("Category", "Slow")]
[Collection(PostgresCollection.Name)]
public class SingleSignOnTests(PostgresFixture postgres)
{
    [Fact]
    public async Task First_sign_in_creates_the_account_and_every_sign_in_makes_teams_and_admin_rights_follow_the_groups_claim()
    {
        await using var rig = await SingleSignOnRig.StartAsync(postgres, "sso_flow");
        await rig.Service.CliAsync("domains", "add", "ops.example.test", "--team", "ops");
        await rig.Service.CliAsync("domains", "add", "dev.example.test", "--team", "dev");
        await rig.Service.CliAsync("domains", "add", "manual.example.test", "--team", "manual");

        // First sign-in: the account is made, ops-group → ops, monitor-admins → administrator; the unmapped value is ignored.
        rig.Provider.User = new TestOidcUser("alice-sub", "alice@example.test", ["ops-group", "monitor-admins", "unrelated"], EmailVerified: true);
        using var first = rig.Service.Browser();
        Assert.Equal("/teams", await SingleSignOnRig.LandingAsync(first, await rig.SignInAsync(first, "/teams")));
        Assert.Equal(("alice@example.test", true, new List<string> { "ops" }), await rig.AccountOfAsync("alice-sub"));
        var dashboard = await first.Http.GetStringAsync(new Uri("/", UriKind.Relative));
        Assert.Contains("alice@example.test", dashboard, StringComparison.Ordinal); // the header names who is signed in
        Assert.Contains("dev.example.test", dashboard, StringComparison.Ordinal);   // an administrator sees every team
        Assert.Equal(1, rig.Provider.TokenRequests);

        // The handler's protections went out with the request: PKCE (S256), state, nonce, the code in the query string (the default, so not named).
        var request = Assert.Single(rig.Provider.Authorizations);
        Assert.Equal(TestOidcProvider.ClientId, request.ClientId);
        Assert.Equal("code", request.ResponseType);
        Assert.Null(request.ResponseMode); // query, the default for a code, goes without saying
        Assert.Equal("S256", request.CodeChallengeMethod);
        Assert.False(string.IsNullOrEmpty(request.CodeChallenge));
        Assert.False(string.IsNullOrEmpty(request.State));
        Assert.False(string.IsNullOrEmpty(request.Nonce));
        Assert.Contains("openid", request.Scope!.Split(' '));
        Assert.Equal(new Uri(rig.Service.BaseAddress, "/signin-oidc").AbsoluteUri, request.RedirectUri);

        // An administrator added the account to a team the mapping does not name: sign-in leaves that alone.
        await using (var db = rig.Db())
        {
            var login = await db.UserLogins.SingleAsync();
            var manual = await db.Teams.SingleAsync(t => t.Name == "manual");
            db.TeamMembers.Add(new TeamMember { TeamId = manual.Id, UserId = login.UserId, AddedAt = DateTimeOffset.UtcNow });
            await db.SaveChangesAsync();
        }

        // Next sign-in: the provider moved Alice from ops-group to dev-group, took her out of monitor-admins and
        // changed her address. Same account (same issuer and subject), ops and administrator gone, dev added.
        rig.Provider.User = new TestOidcUser("alice-sub", "alice.new@example.test", ["dev-group"]);
        using var second = rig.Service.Browser();
        Assert.Equal("/", await SingleSignOnRig.LandingAsync(second, await rig.SignInAsync(second)));
        Assert.Equal(("alice.new@example.test", false, new List<string> { "dev", "manual" }), await rig.AccountOfAsync("alice-sub"));
        await using (var db = rig.Db())
            Assert.Equal(1, await db.Users.CountAsync());
        var now = await second.Http.GetStringAsync(new Uri("/", UriKind.Relative));
        Assert.Contains("dev.example.test", now, StringComparison.Ordinal);
        Assert.DoesNotContain("ops.example.test", now, StringComparison.Ordinal);
        // Access is read per request: the first browser's session lost ops and the administrator view too.
        Assert.DoesNotContain("ops.example.test", await first.Http.GetStringAsync(new Uri("/", UriKind.Relative)), StringComparison.Ordinal);

        // Someone whose groups map to nothing is signed in, sees no domain, and is told why.
        rig.Provider.User = new TestOidcUser("bob-sub", "bob@example.test", ["unknown-group"]);
        using var third = rig.Service.Browser();
        Assert.Equal("/", await SingleSignOnRig.LandingAsync(third, await rig.SignInAsync(third)));
        Assert.Equal(("bob@example.test", false, new List<string>()), await rig.AccountOfAsync("bob-sub"));
        var empty = await third.Http.GetStringAsync(new Uri("/", UriKind.Relative));
        Assert.Contains("id=\"no-team\"", empty, StringComparison.Ordinal);
        Assert.Contains("none of your “groups” values is mapped to a team", empty, StringComparison.Ordinal);
        Assert.DoesNotContain("example.test</a>", empty, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_provider_cannot_take_over_an_account_by_e_mail_send_people_elsewhere_or_hammer_the_callback()
    {
        await using var rig = await SingleSignOnRig.StartAsync(postgres, "sso_safety", new Dictionary<string, string?>
        {
            ["Web:RateLimits:SignInPerAddress"] = "3",
        });
        await rig.Service.AddUserAsync("ops@example.test", "ops", admin: true);

        // A provider identity claiming a local account's address (in other letters) gets nothing of it.
        rig.Provider.User = new TestOidcUser("mallory-sub", "OPS@example.test", ["ops-group", "monitor-admins"]);
        using (var mallory = rig.Service.Browser(IPAddress.Parse("127.0.0.2")))
        {
            var refused = await rig.SignInAsync(mallory);
            Assert.Equal("/login?sso=email-taken", refused.Headers.Location!.OriginalString);
            Assert.Contains("accounts are never joined by e-mail address", await mallory.Http.GetStringAsync(refused.Headers.Location), StringComparison.Ordinal);
            Assert.Equal(HttpStatusCode.Redirect, (await mallory.Http.GetAsync(new Uri("/", UriKind.Relative))).StatusCode); // not signed in
        }
        Assert.Null(await rig.AccountOfAsync("mallory-sub"));
        await using (var db = rig.Db())
            Assert.Equal(0, await db.UserLogins.CountAsync());
        using (var owner = rig.Service.Browser(IPAddress.Parse("127.0.0.2")))
            Assert.Equal(HttpStatusCode.Redirect, (await owner.SignInAsync("ops@example.test", ServiceUnderTest.Password)).StatusCode);

        // The operator moves the address to the provider: remove the local account, then the provider's identity gets it.
        Assert.Contains("Removed ops@example.test.", await rig.Service.CliAsync("users", "remove", "ops@example.test"), StringComparison.Ordinal);
        var (missing, _, notFound) = await rig.Service.RunCliAsync(["users", "remove", "ops@example.test"]);
        Assert.Equal(ExitCodes.Usage, missing);
        Assert.Contains("There is no account ops@example.test", notFound, StringComparison.Ordinal);
        rig.Provider.User = new TestOidcUser("mallory-sub", "ops@example.test", ["ops-group"]);
        using (var moved = rig.Service.Browser(IPAddress.Parse("127.0.0.8")))
            Assert.Equal("/", await SingleSignOnRig.LandingAsync(moved, await rig.SignInAsync(moved)));
        Assert.Equal(("ops@example.test", false, new List<string> { "ops" }), await rig.AccountOfAsync("mallory-sub"));

        // Unverified addresses are not taken either.
        rig.Provider.User = new TestOidcUser("eve-sub", "eve@example.test", ["ops-group"], EmailVerified: false);
        using (var eve = rig.Service.Browser(IPAddress.Parse("127.0.0.3")))
            Assert.Equal("/login?sso=unverified", (await rig.SignInAsync(eve)).Headers.Location!.OriginalString);

        // After signing in, only a path on this site: other sites' addresses in returnUrl end at the dashboard.
        rig.Provider.User = new TestOidcUser("carol-sub", "carol@example.test", ["ops-group"]);
        foreach (var (from, returnUrl) in new[] { ("127.0.0.4", "https://evil.example/"), ("127.0.0.5", "//evil.example/x"), ("127.0.0.6", "/\\evil.example") })
        {
            using var carol = rig.Service.Browser(IPAddress.Parse(from));
            Assert.Equal("/", await SingleSignOnRig.LandingAsync(carol, await rig.SignInAsync(carol, returnUrl)));
        }

        // The continue page, asked directly, leads only to this site too.
        using (var direct = rig.Service.Browser(IPAddress.Parse("127.0.0.4")))
            Assert.Contains("content=\"0;url=/\"", await direct.Http.GetStringAsync(new Uri("/login/continue?returnUrl=%2F%2Fevil.example", UriKind.Relative)), StringComparison.Ordinal);

        // The callback has the sign-in budget of a client address (3 here) although it is answered before the
        // rate limiter's endpoint policies: the fourth is refused with 429 before anything is looked at.
        using var hammer = rig.Service.Browser(IPAddress.Parse("127.0.0.7"));
        for (var i = 0; i < 3; i++)
        {
            var failed = await hammer.Http.GetAsync(new Uri($"/signin-oidc?code=guess{i}&state=forged", UriKind.Relative));
            Assert.Equal("/login?sso=failed", failed.Headers.Location!.OriginalString);
        }
        var limited = await hammer.Http.GetAsync(new Uri("/signin-oidc?code=guess&state=forged", UriKind.Relative));
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.NotNull(limited.Headers.RetryAfter);
        Assert.Contains("Too many sign-in attempts", await limited.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(6, rig.Provider.TokenRequests); // the forged callbacks never reached the provider
    }

    [Fact]
    public async Task With_local_passwords_off_the_page_offers_only_single_sign_on_and_a_posted_password_is_refused()
    {
        await using var rig = await SingleSignOnRig.StartAsync(postgres, "sso_only", new Dictionary<string, string?>
        {
            ["Auth:LocalPasswords:Enabled"] = "false",
        });
        // Break-glass accounts can still be made from the command line (they sign in once passwords are turned back on).
        await rig.Service.AddUserAsync("breakglass@example.test", "ops", admin: true);

        using var browser = rig.Service.Browser();
        var page = await browser.Http.GetStringAsync(new Uri("/login?ReturnUrl=%2Fteams", UriKind.Relative));
        Assert.Contains("Sign in with " + SingleSignOnRig.DisplayName, page, StringComparison.Ordinal);
        Assert.Contains("href=\"/login/sso?returnUrl=%2Fteams\"", page, StringComparison.Ordinal);
        Assert.DoesNotContain("type=\"password\"", page, StringComparison.Ordinal);

        // Without a form there is no anti-forgery token, so an anonymous post is refused before any password check.
        var anonymous = await browser.Http.PostAsync(new Uri("/login", UriKind.Relative), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Email"] = "breakglass@example.test",
            ["Password"] = ServiceUnderTest.Password,
        }));
        Assert.Equal(HttpStatusCode.BadRequest, anonymous.StatusCode);
        Assert.DoesNotContain(browser.Cookies.GetAllCookies(), c => c.Name == "monitor.auth");
        Assert.Equal(HttpStatusCode.Redirect, (await browser.Http.GetAsync(new Uri("/", UriKind.Relative))).StatusCode);

        // Single sign-on works; and even with a valid anti-forgery token (from the signed-in dashboard) the right
        // password of an existing account is refused.
        rig.Provider.User = new TestOidcUser("dana-sub", "dana@example.test", ["ops-group"]);
        Assert.Equal("/teams", await SingleSignOnRig.LandingAsync(browser, await rig.SignInAsync(browser, "/teams")));
        var posted = await browser.PostFormAsync("/", "/login", new Dictionary<string, string>
        {
            ["Email"] = "breakglass@example.test",
            ["Password"] = ServiceUnderTest.Password,
        });
        Assert.Equal(HttpStatusCode.Forbidden, posted.StatusCode);
        Assert.Contains("Password sign-in is turned off on this service. Sign in with " + SingleSignOnRig.DisplayName, await posted.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var dashboard = await browser.Http.GetStringAsync(new Uri("/", UriKind.Relative));
        Assert.Contains("dana@example.test", dashboard, StringComparison.Ordinal);
        Assert.DoesNotContain("breakglass@example.test", dashboard, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_provider_that_answers_too_much_or_not_at_all_costs_a_sentence_on_the_sign_in_page()
    {
        await using var rig = await SingleSignOnRig.StartAsync(postgres, "sso_unavailable", new Dictionary<string, string?>
        {
            ["Auth:Oidc:BackchannelTimeout"] = "00:00:05",
        });
        using var browser = rig.Service.Browser();

        // Valid metadata, but over 2 MiB: reading stops at 1 MiB (the handler's own default would take 10 MB).
        rig.Provider.Discovery = OidcDiscoveryBehavior.Oversized;
        var oversized = await browser.Http.GetAsync(new Uri("/login/sso", UriKind.Relative));
        Assert.Equal("/login?sso=unavailable", oversized.Headers.Location!.OriginalString);
        Assert.Contains(SingleSignOnRig.DisplayName + " cannot be reached right now", await browser.Http.GetStringAsync(oversized.Headers.Location), StringComparison.Ordinal);

        // No answer at all: given up after the configured 5 s (the retriever may try twice), well within this bound.
        rig.Provider.Discovery = OidcDiscoveryBehavior.Hang;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var hung = await browser.Http.GetAsync(new Uri("/login/sso", UriKind.Relative));
        Assert.Equal("/login?sso=unavailable", hung.Headers.Location!.OriginalString);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), $"took {clock.Elapsed}");
        Assert.Empty(rig.Provider.Authorizations);
    }

    [Fact]
    public async Task A_session_from_the_provider_ends_after_its_lifetime_however_active()
    {
        var lifetime = TimeSpan.FromSeconds(15);
        await using var rig = await SingleSignOnRig.StartAsync(postgres, "sso_lifetime", new Dictionary<string, string?>
        {
            ["Auth:Oidc:SessionLifetime"] = lifetime.ToString(),
        });
        rig.Provider.User = new TestOidcUser("erin-sub", "erin@example.test", ["ops-group"]);
        using var browser = rig.Service.Browser();
        var callback = await rig.SignInAsync(browser);
        var sinceSignIn = System.Diagnostics.Stopwatch.StartNew(); // starts after the session did
        Assert.Equal("/", await SingleSignOnRig.LandingAsync(browser, callback));
        Assert.Equal(HttpStatusCode.OK, (await browser.Http.GetAsync(new Uri("/", UriKind.Relative))).StatusCode);

        // Busy all along (a sliding session would live on), yet over once the lifetime has passed.
        while (sinceSignIn.Elapsed <= lifetime + TimeSpan.FromSeconds(1))
        {
            await Task.Delay(TimeSpan.FromSeconds(2));
            await browser.Http.GetAsync(new Uri("/", UriKind.Relative));
        }
        var after = await browser.Http.GetAsync(new Uri("/", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Redirect, after.StatusCode);
        Assert.Contains("/login?ReturnUrl=", after.Headers.Location!.OriginalString, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bad_sign_in_settings_stop_the_start()
    {
        foreach (var bad in new Dictionary<string, string?>[]
        {
            new() { ["Auth:LocalPasswords:Enabled"] = "false" },
            new() { ["Auth:Oidc:Authority"] = "http://127.0.0.1:1/", ["Auth:Oidc:ClientId"] = "x" },
            new() { ["Auth:Oidc:Authority"] = "https://id.example.test/" },
            new() { ["Auth:Oidc:Authority"] = "https://id.example.test/", ["Auth:Oidc:ClientId"] = "x", ["Auth:Oidc:Scopes"] = "profile email" },
            new() { ["Auth:Oidc:Authority"] = "https://id.example.test/", ["Auth:Oidc:ClientId"] = "x", ["Auth:Oidc:Teams:ops-group"] = " " },
        })
        {
            var settings = new Dictionary<string, string?> { ["ConnectionStrings:Monitor"] = await postgres.CreateDatabaseAsync("sso_bad_settings") };
            var stderr = new StringWriter();
            Assert.Equal(0, await CommandLineApp.RunAsync(["migrate"], TextReader.Null, TextWriter.Null, stderr, settings, CancellationToken.None));
            foreach (var (key, value) in bad)
                settings[key] = value;
            using var giveUp = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            var exit = await CommandLineApp.RunAsync(["serve", "--urls", "http://127.0.0.1:0"], TextReader.Null, TextWriter.Null, stderr, settings, giveUp.Token);
            Assert.True(exit == ExitCodes.Config, $"{string.Join(", ", bad)}: exit {exit}: {stderr}");
            Assert.Contains("Auth:", stderr.ToString(), StringComparison.Ordinal);
        }
    }
}
