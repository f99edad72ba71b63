using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;

namespace MonitorService.Benchmarks.Dashboard;

/// <summary>HTTP clients for the service: one signed in through the login form (cookie), one with an API token.</summary>
public static partial class DashboardClient
{
    public static async Task<HttpClient> SignInAsync(Uri baseAddress, string email, string password)
    {
        var client = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = baseAddress };
        var form = await client.GetStringAsync(new Uri("/login", UriKind.Relative));
        var token = AntiforgeryField().Match(form).Groups[1].Value;
        using var content = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Email"] = email, ["Password"] = password, ["ReturnUrl"] = "/", ["__RequestVerificationToken"] = token,
        });
        var response = await client.PostAsync(new Uri("/login", UriKind.Relative), content);
        if (response.StatusCode != HttpStatusCode.Redirect)
            throw new InvalidOperationException($"Sign-in answered {(int)response.StatusCode}");
        return client;
    }

    public static HttpClient WithToken(Uri baseAddress, string token)
    {
        var client = new HttpClient { BaseAddress = baseAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();
}
