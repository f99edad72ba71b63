using System.Collections.Concurrent;
using System.Net;
using System.Security.Claims;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace MonitorService.Testing;

/// <summary>How a <see cref="TestOidcProvider"/> answers its discovery document.</summary>
public enum OidcDiscoveryBehavior
{
    /// <summary>As OpenIddict writes it.</summary>
    Normal,
    /// <summary>The real document with 2 MiB of padding in an extra member: valid, but more than a client should read.</summary>
    Oversized,
    /// <summary>Never: the request is held until the client gives up.</summary>
    Hang,
}

/// <summary>What a client put into one authorization request (the security parameters a test asserts).</summary>
public sealed record OidcAuthorizationRecord(
    string? ClientId, string? RedirectUri, string? ResponseType, string? ResponseMode, string? Scope,
    string? State, string? Nonce, string? CodeChallenge, string? CodeChallengeMethod);

/// <summary>
/// A real OpenID Connect provider (OpenIddict's server) over HTTPS on a loopback address with a certificate from a
/// <see cref="TestCertificateAuthority"/>: discovery, keys, an authorization endpoint and a token endpoint for the
/// authorization-code flow with PKCE, for one confidential client. Nobody types a password: the authorization
/// endpoint signs in <see cref="User"/> at once, as a provider does for someone already signed in there. Ephemeral
/// signing keys and OpenIddict's degraded mode (no store): the client and its redirect URIs are checked by the
/// handlers below instead.
/// </summary>
public sealed class TestOidcProvider : IAsyncDisposable
{
    public const string ClientId = "monitor-service";
    public const string ClientSecret = "test-client-secret-not-for-production";
    public const string AuthorizationPath = "/connect/authorize";
    public const string TokenPath = "/connect/token";
    public const string DiscoveryPath = "/.well-known/openid-configuration";

    private readonly ConcurrentQueue<OidcAuthorizationRecord> _authorizations = new();
    private readonly ConcurrentBag<string> _redirectUris = [];
    private readonly ConcurrentQueue<string> _log = new();
    private int _tokenRequests;
    private string? _discovery;
    private WebApplication? _app;
    private volatile TestOidcUser _user = new("subject-1", "someone@example.test", []);

    private TestOidcProvider(IPAddress address, X509Certificate2 certificate)
    {
        Address = address;
        Certificate = certificate;
    }

    /// <summary>The loopback address it listens on; another one than the client's makes it another site to a browser.</summary>
    public IPAddress Address { get; }

    /// <summary>The server's certificate (issued for <see cref="Address"/>).</summary>
    public X509Certificate2 Certificate { get; }

    public int Port { get; private set; }

    /// <summary>The issuer and the base of discovery: https://ADDRESS:PORT/</summary>
    public Uri Authority => new($"https://{Address}:{Port}/");

    /// <summary>Who the next authorization request signs in; may be changed between sign-ins.</summary>
    public TestOidcUser User
    {
        get => _user;
        set => _user = value ?? throw new ArgumentNullException(nameof(value));
    }

    /// <summary>
    /// True: the authorization endpoint first shows a page with a "Sign in" button (a form posting back to it), as a
    /// provider shows its login page; the way back to the client then starts on the provider's own page, a
    /// cross-site navigation to a browser. False (the default): it signs <see cref="User"/> in at once.
    /// </summary>
    public bool ShowsSignInPage { get; set; }

    /// <summary>How discovery requests are answered from now on (the warm-up at start was answered normally).</summary>
    public OidcDiscoveryBehavior Discovery { get; set; }

    /// <summary>Every authorization request that signed someone in, oldest first.</summary>
    public IReadOnlyList<OidcAuthorizationRecord> Authorizations => _authorizations.ToArray();

    /// <summary>Token requests (code exchanges) that reached the endpoint, accepted or not.</summary>
    public int TokenRequests => Volatile.Read(ref _tokenRequests);

    /// <summary>Warnings and errors OpenIddict logged (why it refused a request), for failure messages.</summary>
    public IReadOnlyList<string> Log => _log.ToArray();

    /// <summary>Allows a redirect URI of the client (none is allowed until added, as at a real provider).</summary>
    public void AllowRedirectUri(Uri uri) => _redirectUris.Add(uri.AbsoluteUri);

    /// <param name="address">A 127.0.0.0/8 address (127.0.0.1 when null).</param>
    public static async Task<TestOidcProvider> StartAsync(TestCertificateAuthority ca, IPAddress? address = null)
    {
        ArgumentNullException.ThrowIfNull(ca);
        var listen = LoopbackAddress.Require(address ?? IPAddress.Loopback);
        var certificate = ca.IssueLeaf(new LeafCertificateOptions { IpAddresses = [listen] });
        var provider = new TestOidcProvider(listen, certificate);
        await SharedPort.StartWithRetryAsync([listen], provider.TryStartAsync);
        await provider.WarmUpAsync();
        return provider;
    }

    /// <summary>
    /// OpenIddict's first answer costs seconds on a busy machine (its pipeline is built on first use): paid here, so
    /// the first client is not the one timed out.
    /// </summary>
    private async Task WarmUpAsync()
    {
        using var client = new HttpClient(new SocketsHttpHandler
        {
            SslOptions = { RemoteCertificateValidationCallback = (_, presented, _, _) => presented?.GetCertHashString() == Certificate.GetCertHashString() },
        });
        _discovery = await client.GetStringAsync(new Uri(Authority, DiscoveryPath.TrimStart('/')));
        using var discovery = System.Text.Json.JsonDocument.Parse(_discovery);
        (await client.GetAsync(discovery.RootElement.GetProperty("jwks_uri").GetString())).EnsureSuccessStatusCode();
    }

    private async Task<TestOidcProvider> TryStartAsync(int port)
    {
        Port = port;
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.Logging.ClearProviders().AddProvider(new RecordingLoggerProvider(_log)).SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.UseKestrelCore();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            k.Listen(Address, port, listen =>
            {
                listen.Protocols = HttpProtocols.Http1;
                listen.UseHttps(Certificate);
            });
        });
        builder.Services.AddRouting();
        builder.Services.AddOpenIddict().AddServer(server =>
        {
            server.SetIssuer(Authority);
            server.SetAuthorizationEndpointUris(AuthorizationPath.TrimStart('/')).SetTokenEndpointUris(TokenPath.TrimStart('/'));
            server.AllowAuthorizationCodeFlow().RequireProofKeyForCodeExchange();
            server.RegisterScopes(Scopes.OpenId, Scopes.Profile, Scopes.Email);
            server.AddEphemeralEncryptionKey().AddEphemeralSigningKey();
            server.DisableAccessTokenEncryption();
            // No application store: the client and its redirect URIs are checked by the two handlers below.
            server.EnableDegradedMode();
            server.AddEventHandler<ValidateAuthorizationRequestContext>(handler => handler.UseInlineHandler(CheckAuthorizationRequest));
            server.AddEventHandler<ValidateTokenRequestContext>(handler => handler.UseInlineHandler(CheckTokenRequest));
            server.UseAspNetCore().EnableAuthorizationEndpointPassthrough().EnableTokenEndpointPassthrough();
        });

        var app = builder.Build();
        app.Use((http, next) =>
        {
            if (http.Request.Path.Equals(TokenPath, StringComparison.Ordinal))
                Interlocked.Increment(ref _tokenRequests);
            if (http.Request.Path.Equals(DiscoveryPath, StringComparison.Ordinal) && Discovery != OidcDiscoveryBehavior.Normal)
                return MisbehaveAsync(http);
            return next(http);
        });
        app.UseRouting();
        app.UseAuthentication();
        app.MapMethods(AuthorizationPath, ["GET", "POST"], (Func<HttpContext, IResult>)Authorize);
        app.MapPost(TokenPath, (Func<HttpContext, Task<IResult>>)ExchangeAsync);
        try
        {
            await app.StartAsync();
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
        _app = app;
        return this;
    }

    private async Task MisbehaveAsync(HttpContext http)
    {
        try
        {
            if (Discovery == OidcDiscoveryBehavior.Hang)
            {
                await Task.Delay(Timeout.Infinite, http.RequestAborted);
                return;
            }
            var document = System.Text.Json.Nodes.JsonNode.Parse(_discovery!)!.AsObject();
            document["padding"] = new string('x', 2 * 1024 * 1024);
            http.Response.ContentType = "application/json";
            await http.Response.WriteAsync(document.ToJsonString(), http.RequestAborted);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or Microsoft.AspNetCore.Connections.ConnectionResetException)
        {
            // The client hung up: what it was meant to do.
        }
    }

    private ValueTask CheckAuthorizationRequest(ValidateAuthorizationRequestContext context)
    {
        if (context.ClientId != ClientId)
            context.Reject(Errors.InvalidClient, "Unknown client_id.");
        else if (context.RedirectUri is null || !_redirectUris.Contains(context.RedirectUri))
            context.Reject(Errors.InvalidRequest, $"The redirect_uri {context.RedirectUri} is not registered for this client.");
        return default;
    }

    private ValueTask CheckTokenRequest(ValidateTokenRequestContext context)
    {
        if (context.ClientId != ClientId || context.Request.ClientSecret != ClientSecret)
            context.Reject(Errors.InvalidClient, "Wrong client credentials.");
        return default;
    }

    /// <summary>The authorization endpoint, after OpenIddict validated the request: <see cref="User"/> is signed in at once.</summary>
    private IResult Authorize(HttpContext http)
    {
        var request = http.GetOpenIddictServerRequest() ?? throw new InvalidOperationException("Not an OpenID Connect request.");
        if (ShowsSignInPage && !HttpMethods.IsPost(http.Request.Method))
            return Results.Content(SignInPage(request), "text/html; charset=utf-8");
        _authorizations.Enqueue(new OidcAuthorizationRecord(request.ClientId, request.RedirectUri, request.ResponseType, request.ResponseMode,
            request.Scope, request.State, request.Nonce, request.CodeChallenge, request.CodeChallengeMethod));
        var user = User;
        var identity = new ClaimsIdentity(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme, Claims.Name, Claims.Role);
        identity.SetClaim(Claims.Subject, user.Subject);
        if (user.Email is not null)
            identity.SetClaim(Claims.Email, user.Email);
        if (user.EmailVerified is { } verified)
            identity.SetClaim(Claims.EmailVerified, verified);
        if (user.Groups.Count > 0)
            identity.SetClaims("groups", [.. user.Groups]);
        identity.SetScopes(request.GetScopes());
        identity.SetDestinations(_ => [Destinations.IdentityToken, Destinations.AccessToken]);
        return Results.SignIn(new ClaimsPrincipal(identity), authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    /// <summary>The provider's sign-in page: one button, posting the authorization request back with it.</summary>
    private string SignInPage(OpenIddictRequest request)
    {
        var fields = string.Concat(request.GetParameters().Select(p =>
            $"<input type=\"hidden\" name=\"{WebUtility.HtmlEncode(p.Key)}\" value=\"{WebUtility.HtmlEncode((string?)p.Value)}\">"));
        return $"""
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>Test provider</title></head>
            <body><h1>Test provider</h1>
            <form method="post" action="{AuthorizationPath}">{fields}<button id="provider-sign-in" type="submit">Sign in as {WebUtility.HtmlEncode(User.Email ?? User.Subject)}</button></form>
            </body></html>
            """;
    }

    /// <summary>The token endpoint: the code's principal (validated by OpenIddict, PKCE included) gets its tokens.</summary>
    private static async Task<IResult> ExchangeAsync(HttpContext http)
    {
        var result = await http.AuthenticateAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
        return result.Principal is { } principal
            ? Results.SignIn(principal, authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme)
            : Results.Forbid(authenticationSchemes: [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
        Certificate.Dispose();
    }

    private sealed class RecordingLoggerProvider(ConcurrentQueue<string> log) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new Recorder(log, categoryName);

        public void Dispose()
        {
        }

        private sealed class Recorder(ConcurrentQueue<string> log, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                log.Enqueue($"{logLevel} {category}: {formatter(state, exception)}{(exception is null ? "" : " " + exception.Message)}");
        }
    }
}
