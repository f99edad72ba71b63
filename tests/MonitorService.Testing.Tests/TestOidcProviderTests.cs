using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.WebUtilities;

namespace MonitorService.Testing;

/// <summary>
/// The test OpenID Connect provider does what a real one does: discovery and keys under its issuer, the
/// authorization-code flow with PKCE for its one client and registered redirect URIs only, and ID tokens carrying
/// the configured user's claims.
/// </summary>
public sealed class TestOidcProviderTests : IDisposable
{
    private static readonly Uri RedirectUri = new("http://127.0.0.1:1/signin-oidc");

    private readonly TestCertificateAuthority _ca = new();

    public void Dispose() => _ca.Dispose();

    private HttpClient Client() => new(new SocketsHttpHandler
    {
        AllowAutoRedirect = false,
        SslOptions = { RemoteCertificateValidationCallback = _ca.CreateValidationCallback() },
    })
    { Timeout = TimeSpan.FromSeconds(60) };

    [Fact]
    public async Task Discovery_names_its_endpoints_and_keys_under_the_issuer()
    {
        await using var provider = await TestOidcProvider.StartAsync(_ca);
        using var client = Client();
        using var discovery = JsonDocument.Parse(await client.GetStringAsync(new Uri(provider.Authority, ".well-known/openid-configuration")));
        var root = discovery.RootElement;
        Assert.Equal(provider.Authority.AbsoluteUri, root.GetProperty("issuer").GetString());
        Assert.Equal(new Uri(provider.Authority, "connect/authorize").AbsoluteUri, root.GetProperty("authorization_endpoint").GetString());
        Assert.Equal(new Uri(provider.Authority, "connect/token").AbsoluteUri, root.GetProperty("token_endpoint").GetString());
        using var keys = JsonDocument.Parse(await client.GetStringAsync(root.GetProperty("jwks_uri").GetString()));
        Assert.NotEqual(0, keys.RootElement.GetProperty("keys").GetArrayLength());
    }

    [Fact]
    public async Task The_code_flow_gives_an_id_token_with_the_users_claims_only_to_the_right_verifier_and_redirect()
    {
        await using var provider = await TestOidcProvider.StartAsync(_ca);
        provider.AllowRedirectUri(RedirectUri);
        provider.User = new TestOidcUser("subject-7", "seven@example.test", ["ops-group", "admins"], EmailVerified: true);
        using var client = Client();
        var verifier = Base64Url(RandomNumberGenerator.GetBytes(32));
        var challenge = Base64Url(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));

        Uri Authorize(Uri redirect) => new(QueryHelpers.AddQueryString(new Uri(provider.Authority, "connect/authorize").AbsoluteUri, new Dictionary<string, string?>
        {
            ["client_id"] = TestOidcProvider.ClientId,
            ["redirect_uri"] = redirect.AbsoluteUri,
            ["response_type"] = "code",
            ["scope"] = "openid email",
            ["state"] = "state-1",
            ["nonce"] = "nonce-1",
            ["code_challenge"] = challenge,
            ["code_challenge_method"] = "S256",
        }));

        // A redirect URI that was not registered is refused, not redirected to.
        var foreign = await client.GetAsync(Authorize(new Uri("https://evil.example/cb")));
        Assert.Equal(HttpStatusCode.BadRequest, foreign.StatusCode);

        var answer = await client.GetAsync(Authorize(RedirectUri));
        Assert.Equal(HttpStatusCode.Redirect, answer.StatusCode);
        var location = answer.Headers.Location!;
        Assert.StartsWith(RedirectUri.AbsoluteUri + "?", location.AbsoluteUri, StringComparison.Ordinal);
        var query = QueryHelpers.ParseQuery(location.Query);
        Assert.Equal("state-1", query["state"]);
        var code = query["code"].ToString();

        Task<HttpResponseMessage> ExchangeAsync(string codeVerifier, string secret) =>
            client.PostAsync(new Uri(provider.Authority, "connect/token"), new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "authorization_code",
                ["code"] = code,
                ["redirect_uri"] = RedirectUri.AbsoluteUri,
                ["client_id"] = TestOidcProvider.ClientId,
                ["client_secret"] = secret,
                ["code_verifier"] = codeVerifier,
            }));

        Assert.Equal(HttpStatusCode.BadRequest, (await ExchangeAsync(Base64Url(RandomNumberGenerator.GetBytes(32)), TestOidcProvider.ClientSecret)).StatusCode);
        Assert.NotEqual(HttpStatusCode.OK, (await ExchangeAsync(verifier, "wrong secret")).StatusCode);
        var tokens = await ExchangeAsync(verifier, TestOidcProvider.ClientSecret);
        Assert.Equal(HttpStatusCode.OK, tokens.StatusCode);
        using var body = JsonDocument.Parse(await tokens.Content.ReadAsStringAsync());
        var idToken = body.RootElement.GetProperty("id_token").GetString()!;
        using var claims = JsonDocument.Parse(Base64UrlDecode(idToken.Split('.')[1]));
        var payload = claims.RootElement;
        Assert.Equal(provider.Authority.AbsoluteUri, payload.GetProperty("iss").GetString());
        Assert.Equal("subject-7", payload.GetProperty("sub").GetString());
        Assert.Equal("nonce-1", payload.GetProperty("nonce").GetString());
        Assert.Equal("seven@example.test", payload.GetProperty("email").GetString());
        Assert.True(payload.GetProperty("email_verified").GetBoolean());
        Assert.Equal(["ops-group", "admins"], payload.GetProperty("groups").EnumerateArray().Select(g => g.GetString()));
        Assert.Equal(3, provider.TokenRequests);
        Assert.Single(provider.Authorizations);
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static byte[] Base64UrlDecode(string text)
    {
        var padded = text.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(padded + new string('=', (4 - padded.Length % 4) % 4));
    }
}
