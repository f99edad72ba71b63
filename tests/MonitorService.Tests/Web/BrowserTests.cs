using System.Net;
using Microsoft.Playwright;
using MonitorService.Tests.Infrastructure;
using static MonitorService.Testing.CheckEnvironment;

namespace MonitorService.Tests.Web;

/// <summary>
/// The dashboard in a real browser (Debian's Chromium, headless, driven by Playwright) against the real service on
/// loopback. Screenshots of the main pages go to TestResults/screenshots.
/// </summary>
[Trait("Category", "Slow")]
[Collection(PostgresCollection.Name)]
public class BrowserTests(PostgresFixture postgres)
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private static readonly string Screenshots = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "TestResults", "screenshots"));

    /// <summary>Debian's Chromium, headless, with the flags it needs here; <paramref name="extraArgs"/> are added to them.</summary>
    internal static async Task<IBrowser> LaunchAsync(IPlaywright playwright, params string[] extraArgs)
    {
        Assert.True(File.Exists(ChromiumPath), $"The browser tests need Debian's Chromium at {ChromiumPath}: apt-get install -y chromium");
        return await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run", "--disable-quic", .. extraArgs],
        });
    }

    internal static Task ShotAsync(IPage page, string name)
    {
        Directory.CreateDirectory(Screenshots);
        return page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Screenshots, name + ".png"), FullPage = true });
    }

    [Fact]
    public async Task Sign_in_add_domains_read_the_report_diff_policies_create_a_token_and_sign_out()
    {
        await using var service = await ServiceUnderTest.StartAsync(postgres, "browser_flow");
        await service.AddUserAsync("ops@example.test", "ops");
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await LaunchAsync(playwright);
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = service.BaseAddress.ToString(), ViewportSize = new() { Width = 1280, Height = 900 } });
        var page = await context.NewPageAsync();
        var dialogs = 0;
        page.Dialog += (_, dialog) => { dialogs++; _ = dialog.DismissAsync(); };
        var consoleErrors = new List<string>();
        // Console errors would show a CSP violation or a broken script; the browser's own favicon request is no concern.
        page.Console += (_, message) => { if (message.Type == "error" && !message.Location.Contains("favicon", StringComparison.Ordinal)) consoleErrors.Add($"{message.Text} at {message.Location}"); };

        // Sign in: a wrong password first, then the right one.
        await page.GotoAsync("/");
        Assert.EndsWith("/login?ReturnUrl=%2F", page.Url, StringComparison.Ordinal);
        await page.FillAsync("input[name=Email]", "ops@example.test");
        await page.FillAsync("input[name=Password]", "wrong password!");
        await page.ClickAsync("button[type=submit]");
        await Assertions.Expect(page.Locator(".alert")).ToContainTextAsync("Wrong e-mail address or password");
        await ShotAsync(page, "01-sign-in");
        await page.FillAsync("input[name=Password]", ServiceUnderTest.Password);
        await page.ClickAsync("button[type=submit]");
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Domains");

        // Add two lines: one valid, one malformed. Each gets its own result.
        await page.ClickAsync("text=Add domains >> nth=0");
        await page.FillAsync("textarea[name=Names]", "Example.TEST\nnot a domain");
        await page.ClickAsync("form.card button[type=submit]");
        var results = page.Locator("#add-results");
        await Assertions.Expect(results).ToContainTextAsync("Added example.test");
        await Assertions.Expect(results).ToContainTextAsync("Line 2, “not a domain”: Cannot register: \"not a domain\" is not a domain name");
        await Assertions.Expect(page.Locator("textarea[name=Names]")).ToHaveValueAsync("not a domain");
        await ShotAsync(page, "02-add-domains");

        // The domain page shows the first check's result by itself (it polls once, then reloads once).
        await page.ClickAsync("#add-results a");
        await Assertions.Expect(page.Locator("#policy-text")).ToContainTextAsync("mode: enforce", new() { Timeout = 30000 });
        await Assertions.Expect(page.Locator("text=No findings")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("table.list").First).ToContainTextAsync("mx1.example.test");
        await Assertions.Expect(page.Locator(".clock")).ToContainTextAsync("Senders may hold the current policy of");
        var detail = await page.Context.APIRequest.GetAsync(page.Url);
        Assert.Contains("script-src 'self'", detail.Headers["content-security-policy"], StringComparison.Ordinal);
        Assert.Equal("DENY", detail.Headers["x-frame-options"]);

        // Alerts for this domain go to ops@example.test from now on.
        await page.FillAsync("input[name=recipients]", "ops@example.test");
        await page.ClickAsync("form:has(input[name=recipients]) button[type=submit]");
        await Assertions.Expect(page.Locator("input[name=recipients]")).ToHaveValueAsync("ops@example.test");

        // A hostile policy: published with a new id, then "Check now". It must render as text, never run.
        service.Env.Https.SetResponse(PolicyHost, PolicyResponse.Ok(
            "version: STSv1\r\nmode: testing\r\nmax_age: 86400\r\nmx: mx1.example.test\r\nmx: mx2.example.test\r\nx_note: <script>alert('pwned')</script><img src=x onerror=alert(1)>\r\n"));
        service.Env.Zone.Remove($"_mta-sts.{Domain}", "TXT");
        service.Env.Zone.AddTxt($"_mta-sts.{Domain}", "v=STSv1; id=20260301");
        await page.ClickAsync("text=Check now");
        await Assertions.Expect(page.Locator("#policy-text")).ToContainTextAsync("<script>alert('pwned')</script>", new() { Timeout = 30000 });
        Assert.Equal(0, await page.Locator("#policy-text script, #policy-text img").CountAsync());
        await Assertions.Expect(page.Locator(".timeline")).ToContainTextAsync("DRIFT_MODE_DOWNGRADE");
        await ShotAsync(page, "03-domain");

        // Diff of the two policy versions, side by side.
        await page.ClickAsync("#diff-policy");
        var diff = page.Locator("#diff");
        await Assertions.Expect(diff.Locator("tr.diff-changed").First).ToContainTextAsync("- mode: enforce");
        await Assertions.Expect(diff.Locator("tr.diff-changed").First).ToContainTextAsync("+ mode: testing");
        await Assertions.Expect(diff).ToContainTextAsync("<script>alert('pwned')</script>");
        Assert.Equal(0, await diff.Locator("script, img").CountAsync());
        await ShotAsync(page, "04-policy-diff");

        // The domains list.
        await page.ClickAsync("header >> text=Domains");
        await Assertions.Expect(page.Locator("table.list")).ToContainTextAsync("example.test");
        await Assertions.Expect(page.Locator("table.list")).ToContainTextAsync("testing");
        await ShotAsync(page, "05-domains");

        // An API token: shown once, works on the API, listed afterwards only by its prefix.
        await page.ClickAsync("header >> text=Teams");
        await page.ClickAsync("main a[href^='/teams/']");
        await page.FillAsync("input[name=name]", "deploy pipeline");
        await page.ClickAsync("#create-token");
        var secret = (await page.Locator("#token-secret").TextContentAsync())!.Trim();
        Assert.StartsWith("mts_", secret, StringComparison.Ordinal);
        await ShotAsync(page, "06-team");

        // The alert log: the mode downgrade alerted ops@example.test, with its delivery state.
        var teamPage = page.Url;
        await page.ClickAsync("#alert-log-link");
        var log = page.Locator("#alert-log");
        await Assertions.Expect(log).ToContainTextAsync("example.test");
        await Assertions.Expect(log).ToContainTextAsync("ops@example.test");
        await Assertions.Expect(log).ToContainTextAsync("[MonitorService] example.test");
        await ShotAsync(page, "07-alert-log");
        await page.GotoAsync(teamPage);
        using (var api = service.Client(secret))
            Assert.Equal(HttpStatusCode.OK, (await api.GetAsync(new Uri("/api/v1/domains", UriKind.Relative))).StatusCode);
        await page.GotoAsync(page.Url); // a fresh GET, not a re-sent POST
        Assert.DoesNotContain(secret, await page.ContentAsync(), StringComparison.Ordinal);

        // Sign out: back to the sign-in page, and the dashboard is closed again.
        await page.ClickAsync("header button:has-text('Sign out')");
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Sign in");
        await page.GotoAsync("/");
        Assert.Contains("/login", page.Url, StringComparison.Ordinal);

        Assert.Equal(0, dialogs);
        Assert.Empty(consoleErrors);
    }
}
