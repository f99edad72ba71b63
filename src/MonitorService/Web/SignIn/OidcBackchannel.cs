using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using MonitorService.Checks.Certificates;

namespace MonitorService.Web.SignIn;

/// <summary>
/// The HTTP client that talks to the identity provider (metadata, keys, token exchange). The provider is the
/// operator's choice, not a user's, so it may be on any address; but each call is bounded in time and in the bytes
/// read, redirects are not followed (nothing is fetched from anywhere the provider's own URLs do not name), and
/// with <see cref="OidcOptions.RequireHttpsMetadata"/> nothing goes out over plain HTTP.
/// </summary>
public static class OidcBackchannel
{
    public static HttpClient Create(OidcOptions options)
    {
        var sockets = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            ConnectTimeout = options.BackchannelTimeout,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            AutomaticDecompression = DecompressionMethods.None,
        };
        if (options.CaFile is { } file)
        {
            var roots = TrustAnchors.FromPemFile(file).ExtraRoots;
            sockets.SslOptions.RemoteCertificateValidationCallback = (_, certificate, chain, errors) => Trusted(certificate, chain, errors, roots);
        }
        HttpMessageHandler handler = options.RequireHttpsMetadata ? new HttpsOnly(sockets) : sockets;
        var client = new HttpClient(handler)
        {
            Timeout = options.BackchannelTimeout,
            // Every answer is read whole into memory (HttpCompletionOption.ResponseContentRead): this caps it.
            MaxResponseContentBufferSize = OidcOptions.MaxResponseBytes,
        };
        client.DefaultRequestHeaders.UserAgent.ParseAdd("MonitorService");
        return client;
    }

    /// <summary>The system's verdict, or else a chain to one of the configured roots (the host name must match either way).</summary>
    private static bool Trusted(X509Certificate? certificate, X509Chain? presented, SslPolicyErrors errors, IReadOnlyCollection<X509Certificate2> roots)
    {
        if (errors == SslPolicyErrors.None)
            return true;
        if (certificate is null || (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != 0)
            return false;
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(roots.ToArray());
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.DisableCertificateDownloads = true;
        if (presented is not null)
            chain.ChainPolicy.ExtraStore.AddRange(presented.ChainElements.Select(e => e.Certificate).ToArray());
        using var leaf = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        return chain.Build(leaf);
    }

    /// <summary>Refuses any request that is not HTTPS, whatever URL the provider's metadata named.</summary>
    private sealed class HttpsOnly(HttpMessageHandler inner) : DelegatingHandler(inner)
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            request.RequestUri?.Scheme == Uri.UriSchemeHttps
                ? base.SendAsync(request, cancellationToken)
                : throw new HttpRequestException($"Refused to call the identity provider over plain HTTP: {request.RequestUri}");
    }
}
