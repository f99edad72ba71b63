using System.Net;
using System.Text.RegularExpressions;
using MonitorService.Tests.Infrastructure;

namespace MonitorService.Tests.Web;

[Collection(PostgresCollection.Name)]
public partial class SignInTests(PostgresFixture postgres)
{
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

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex AntiForgeryField();
}
