using System.Collections.Concurrent;
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;

namespace MonitorService.Testing;

/// <summary>
/// Builds (and caches) the SslStream server options for a certificate, sending <see cref="ChainCertificates"/>
/// after the leaf. Shared by the HTTPS and SMTP fixtures.
/// </summary>
internal sealed class ServerCertificateContexts
{
    private readonly ConcurrentDictionary<X509Certificate2, SslStreamCertificateContext> _contexts = new(ReferenceEqualityComparer.Instance);
    private X509Certificate2Collection _chain = [];

    /// <summary>Extra certificates (intermediates) sent after every leaf. Changing it clears the cache.</summary>
    public X509Certificate2Collection ChainCertificates
    {
        get => _chain;
        set
        {
            _chain = value ?? [];
            _contexts.Clear();
        }
    }

    public SslServerAuthenticationOptions CreateOptions(X509Certificate2 certificate) => new()
    {
        ServerCertificateContext = _contexts.GetOrAdd(
            certificate,
            static (cert, chain) => SslStreamCertificateContext.Create(cert, chain, offline: true),
            _chain),
        EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
        ClientCertificateRequired = false,
        CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
    };
}
