using System.Net;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using MonitorService.Storage;
using MonitorService.Tests.Infrastructure;

namespace MonitorService.Tests.Web;

/// <summary>
/// The real service with single sign-on against a real OpenID Connect provider (<see cref="TestOidcProvider"/>) over
/// HTTPS on 127.0.0.40, its certificate from a test CA the service is told about (<c>Auth:Oidc:CaFile</c>). The
/// provider maps groups <c>ops-group</c> → team ops, <c>dev-group</c> → team dev, and <c>monitor-admins</c> makes
/// administrators. <see cref="SignInAsync"/> walks the authorization-code flow as a browser would, one redirect at a
/// time.
/// </summary>
public sealed class SingleSignOnRig : IAsyncDisposable
{
    public const string DisplayName = "Example ID";

    /// <summary>
    /// Not the service's 127.0.0.1: to a browser the provider is then another site, as a real one is, and the way
    /// back from it a cross-site navigation (which SameSite cookie rules treat differently).
    /// </summary>
    public static readonly IPAddress ProviderAddress = IPAddress.Parse("127.0.0.40");

    private readonly TestCertificateAuthority _ca;
    private readonly string _caFile;

    private SingleSignOnRig(TestCertificateAuthority ca, string caFile, TestOidcProvider provider, ServiceUnderTest service)
    {
        _ca = ca;
        _caFile = caFile;
        Provider = provider;
        Service = service;
        ProviderClient = new HttpClient(new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            SslOptions = { RemoteCertificateValidationCallback = ca.CreateValidationCallback() },
        });
    }

    public TestOidcProvider Provider { get; }
    public ServiceUnderTest Service { get; }

    /// <summary>The browser's view of the provider: trusts the test CA, follows no redirect, keeps no cookies.</summary>
    public HttpClient ProviderClient { get; }

    /// <summary>The root of the test CA as PEM (for a browser that must trust the provider).</summary>
    public TestCertificateAuthority CertificateAuthority => _ca;

    public static async Task<SingleSignOnRig> StartAsync(PostgresFixture postgres, string hint, IReadOnlyDictionary<string, string?>? extraSettings = null)
    {
        var ca = new TestCertificateAuthority("MonitorService OIDC Test CA");
        var caFile = ca.WriteRootPemFile(Path.Combine(Path.GetTempPath(), $"oidc-ca-{Guid.NewGuid():N}.pem"));
        var provider = await TestOidcProvider.StartAsync(ca, ProviderAddress);
        var settings = new Dictionary<string, string?>
        {
            ["Auth:Oidc:Authority"] = provider.Authority.ToString(),
            ["Auth:Oidc:ClientId"] = TestOidcProvider.ClientId,
            ["Auth:Oidc:ClientSecret"] = TestOidcProvider.ClientSecret,
            ["Auth:Oidc:CaFile"] = caFile,
            ["Auth:Oidc:DisplayName"] = DisplayName,
            ["Auth:Oidc:Teams:ops-group"] = "ops",
            ["Auth:Oidc:Teams:dev-group"] = "dev",
            ["Auth:Oidc:AdminClaimValues:0"] = "monitor-admins",
            // Generous: the machine running the tests may be busy; the limit itself is not what these tests measure.
            ["Auth:Oidc:BackchannelTimeout"] = "00:01:00",
        };
        foreach (var (key, value) in extraSettings ?? new Dictionary<string, string?>())
            settings[key] = value;
        var service = await ServiceUnderTest.StartAsync(postgres, hint, settings);
        provider.AllowRedirectUri(new Uri(service.BaseAddress, "/signin-oidc"));
        return new SingleSignOnRig(ca, caFile, provider, service);
    }

    /// <summary>
    /// Clicks the sign-in button's link (<c>/login/sso?returnUrl=...</c>), lets the provider sign in
    /// <see cref="TestOidcProvider.User"/> and follows the provider's redirect back to the service. Returns the service's
    /// answer to the callback (a redirect when it is done).
    /// </summary>
    public async Task<HttpResponseMessage> SignInAsync(DashboardBrowser browser, string? returnUrl = "/")
    {
        var start = returnUrl is null ? "/login/sso" : "/login/sso?returnUrl=" + Uri.EscapeDataString(returnUrl);
        var challenge = await browser.Http.GetAsync(new Uri(start, UriKind.Relative));
        Assert.True(challenge.StatusCode == HttpStatusCode.Redirect, $"GET {start}: {(int)challenge.StatusCode}");
        var authorize = challenge.Headers.Location!;
        Assert.StartsWith(Provider.Authority + "connect/authorize?", authorize.AbsoluteUri, StringComparison.Ordinal);

        var answer = await ProviderClient.GetAsync(authorize);
        Assert.True(answer.StatusCode == HttpStatusCode.Redirect,
            $"the provider answered {(int)answer.StatusCode}: {await answer.Content.ReadAsStringAsync()} {string.Join("; ", Provider.Log)}");
        var callback = answer.Headers.Location!;
        Assert.StartsWith(new Uri(Service.BaseAddress, "/signin-oidc?").AbsoluteUri, callback.AbsoluteUri, StringComparison.Ordinal);
        return await browser.Http.GetAsync(new Uri(callback.PathAndQuery, UriKind.Relative));
    }

    /// <summary>
    /// Where a successful callback takes the browser: the service redirects to its continue page, whose refresh
    /// names the page to land on (see LoginContinueModel). Returns that page's path.
    /// </summary>
    public static async Task<string> LandingAsync(DashboardBrowser browser, HttpResponseMessage callback)
    {
        Assert.True(callback.StatusCode == HttpStatusCode.Redirect, $"the callback answered {(int)callback.StatusCode}");
        var location = callback.Headers.Location!.OriginalString;
        Assert.StartsWith("/login/continue?", location, StringComparison.Ordinal);
        var page = await browser.Http.GetStringAsync(new Uri(location, UriKind.Relative));
        var refresh = Regex.Match(page, "<meta http-equiv=\"refresh\" content=\"0;url=([^\"]*)\">");
        Assert.True(refresh.Success, page);
        return WebUtility.HtmlDecode(refresh.Groups[1].Value);
    }

    public MonitorDbContext Db() => MonitorDb.Create(Service.ConnectionString);

    /// <summary>The account a provider subject signs in to: its e-mail, administrator flag and team names.</summary>
    public async Task<(string Email, bool IsAdmin, List<string> Teams)?> AccountOfAsync(string subject)
    {
        await using var db = Db();
        var login = await db.UserLogins.SingleOrDefaultAsync(l => l.LoginProvider == Provider.Authority.ToString() && l.ProviderKey == subject);
        if (login is null)
            return null;
        var user = await db.Users.Include(u => u.Memberships).ThenInclude(m => m.Team).SingleAsync(u => u.Id == login.UserId);
        return (user.Email!, user.IsAdmin, user.Memberships.Select(m => m.Team!.Name).Order(StringComparer.Ordinal).ToList());
    }

    public async ValueTask DisposeAsync()
    {
        ProviderClient.Dispose();
        await Service.DisposeAsync();
        await Provider.DisposeAsync();
        _ca.Dispose();
        File.Delete(_caFile);
    }
}
