using System.Security.Cryptography;
using Microsoft.Playwright;
using MonitorService.Tests.Infrastructure;

namespace MonitorService.Tests.Web;

/// <summary>
/// Single sign-on in a real browser (Debian's Chromium through Playwright): the button on the sign-in page, the
/// provider on another origin over HTTPS, the redirect back, and the dashboard of the mapped team. What only a real
/// browser checks: the SameSite rules of every cookie on the way (the provider's answer is a cross-site navigation)
/// and the page's CSP.
/// </summary>
[Trait("Category", "Slow")]
[Collection(PostgresCollection.Name)]
public class SingleSignOnBrowserTests(PostgresFixture postgres)
{
    [Fact]
    public async Task Clicking_the_button_signs_in_at_the_provider_and_lands_on_the_teams_domains()
    {
        await using var rig = await SingleSignOnRig.StartAsync(postgres, "sso_browser", new Dictionary<string, string?>
        {
            ["Auth:LocalPasswords:Enabled"] = "false",
        });
        await rig.Service.CliAsync("domains", "add", CheckEnvironment.Domain, "--team", "ops");
        await rig.Service.CliAsync("domains", "add", "other.example.test", "--team", "dev");
        rig.Provider.User = new TestOidcUser("alice-sub", "alice@example.test", ["ops-group"]);
        rig.Provider.ShowsSignInPage = true;

        using var playwright = await Playwright.CreateAsync();
        // The browser trusts the provider's certificate by its key alone (nothing else is exempted from checks).
        var spki = Convert.ToBase64String(SHA256.HashData(rig.Provider.Certificate.PublicKey.ExportSubjectPublicKeyInfo()));
        await using var browser = await BrowserTests.LaunchAsync(playwright, "--ignore-certificate-errors-spki-list=" + spki);
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = rig.Service.BaseAddress.ToString(), ViewportSize = new() { Width = 1280, Height = 900 } });
        var page = await context.NewPageAsync();
        var consoleErrors = new List<string>();
        page.Console += (_, message) => { if (message.Type == "error" && !message.Location.Contains("favicon", StringComparison.Ordinal)) consoleErrors.Add($"{message.Text} at {message.Location}"); };

        // The dashboard sends an anonymous visitor to the sign-in page: only the provider's button, no password form.
        await page.GotoAsync("/");
        Assert.Contains("/login?ReturnUrl=%2F", page.Url, StringComparison.Ordinal);
        await Assertions.Expect(page.Locator("#sso")).ToHaveTextAsync("Sign in with " + SingleSignOnRig.DisplayName);
        Assert.Equal(0, await page.Locator("input[type=password]").CountAsync());
        await BrowserTests.ShotAsync(page, "10-sso-sign-in");

        // To the provider (another site, HTTPS) and its sign-in page; from there back with a code (a cross-site
        // navigation, as from a real provider), signed in on the domains list.
        await page.ClickAsync("#sso");
        await Assertions.Expect(page.Locator("#provider-sign-in")).ToHaveTextAsync("Sign in as alice@example.test");
        Assert.StartsWith(rig.Provider.Authority.AbsoluteUri, page.Url, StringComparison.Ordinal);
        await page.ClickAsync("#provider-sign-in");
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Domains", new() { Timeout = 60000 });
        Assert.Equal(rig.Service.BaseAddress + "", page.Url);
        await Assertions.Expect(page.Locator("header .who")).ToHaveTextAsync("alice@example.test");
        await Assertions.Expect(page.Locator("table.list")).ToContainTextAsync(CheckEnvironment.Domain);
        Assert.DoesNotContain("other.example.test", await page.ContentAsync(), StringComparison.Ordinal);
        await BrowserTests.ShotAsync(page, "11-sso-signed-in");
        Assert.Single(rig.Provider.Authorizations);

        // The session cookie is the dashboard's usual one; the flow's own cookies are gone.
        var cookies = await context.CookiesAsync();
        var session = Assert.Single(cookies, c => c.Name == "monitor.auth");
        Assert.Equal(SameSiteAttribute.Strict, session.SameSite);
        Assert.True(session.HttpOnly);
        Assert.DoesNotContain(cookies, c => c.Name.StartsWith("monitor.oidc.", StringComparison.Ordinal));

        // Signing out ends the dashboard session.
        await page.ClickAsync("header button:has-text('Sign out')");
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Sign in");
        await page.GotoAsync("/");
        Assert.Contains("/login", page.Url, StringComparison.Ordinal);
        Assert.Empty(consoleErrors);
    }
}
