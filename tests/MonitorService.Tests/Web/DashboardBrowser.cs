using System.Net;
using System.Text.RegularExpressions;

namespace MonitorService.Tests.Web;

/// <summary>
/// A scripted browser for the dashboard over plain HTTP: keeps cookies, does not follow redirects, and posts forms
/// with the anti-forgery token of the page they are on, from a chosen loopback address.
/// </summary>
public sealed partial class DashboardBrowser : IDisposable
{
    public DashboardBrowser(Uri baseAddress, IPAddress? from = null)
    {
        Http = new HttpClient(LoopbackHttp.Handler(from, Cookies)) { BaseAddress = baseAddress };
    }

    public CookieContainer Cookies { get; } = new();

    public HttpClient Http { get; }

    /// <summary>Posts the sign-in form; a redirect (302) means signed in.</summary>
    public Task<HttpResponseMessage> SignInAsync(string email, string password) =>
        PostFormAsync("/login", "/login", new Dictionary<string, string> { ["Email"] = email, ["Password"] = password });

    /// <summary>Loads <paramref name="page"/> for its anti-forgery token, then posts <paramref name="fields"/> to <paramref name="action"/>.</summary>
    public async Task<HttpResponseMessage> PostFormAsync(string page, string action, Dictionary<string, string> fields)
    {
        var form = await Http.GetAsync(new Uri(page, UriKind.Relative));
        Assert.True(form.StatusCode == HttpStatusCode.OK, $"GET {page}: {(int)form.StatusCode}");
        var token = AntiForgeryToken(await form.Content.ReadAsStringAsync());
        return await Http.PostAsync(new Uri(action, UriKind.Relative), new FormUrlEncodedContent(new Dictionary<string, string>(fields) { ["__RequestVerificationToken"] = token }));
    }

    public static string AntiForgeryToken(string html)
    {
        var match = AntiForgeryField().Match(html);
        Assert.True(match.Success, "the page has no anti-forgery token");
        return match.Groups[1].Value;
    }

    /// <summary>The page without what differs on every response (anti-forgery tokens).</summary>
    public static string WithoutTokens(string html) => AntiForgeryField().Replace(html, "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"\"");

    public void Dispose() => Http.Dispose();

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex AntiForgeryField();
}
