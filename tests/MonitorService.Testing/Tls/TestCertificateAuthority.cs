using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace MonitorService.Testing;

/// <summary>
/// In-memory ECDSA P-256 root CA (optionally with one intermediate) issuing TLS server certificates for tests.
/// Issued leaves carry their private key re-imported through PKCS#12 so that SslStream servers on Linux accept them.
/// </summary>
public sealed class TestCertificateAuthority : IDisposable
{
    private static readonly Oid ServerAuthOid = new("1.3.6.1.5.5.7.3.1", "Server Authentication");

    private readonly ECDsa _rootKey;
    private readonly ECDsa? _intermediateKey;

    /// <param name="commonName">CN of the root certificate.</param>
    /// <param name="withIntermediate">When true, leaves are issued by an intermediate CA signed by the root;
    /// servers must then send <see cref="ChainCertificates"/> along with the leaf.</param>
    public TestCertificateAuthority(string commonName = "MonitorService Test Root CA", bool withIntermediate = false)
    {
        var now = DateTimeOffset.UtcNow;
        _rootKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var rootRequest = CreateCaRequest(commonName, _rootKey);
        using (var rootWithKey = rootRequest.CreateSelfSigned(now.AddDays(-7), now.AddYears(10)))
        {
            RootCertificate = X509CertificateLoader.LoadCertificate(rootWithKey.RawData);
        }

        IssuerCertificate = RootCertificate;
        if (withIntermediate)
        {
            _intermediateKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var request = CreateCaRequest(commonName + " Intermediate", _intermediateKey);
            request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(RootCertificate, true, false));
            IntermediateCertificate = request.Create(
                RootCertificate.SubjectName,
                X509SignatureGenerator.CreateForECDsa(_rootKey),
                now.AddDays(-7),
                now.AddYears(5),
                NewSerial());
            IssuerCertificate = IntermediateCertificate;
        }
    }

    /// <summary>The root certificate (public part only).</summary>
    public X509Certificate2 RootCertificate { get; }

    /// <summary>The intermediate certificate when the CA was created with one.</summary>
    public X509Certificate2? IntermediateCertificate { get; }

    /// <summary>Certificates a server must send after the leaf (the intermediate, if any). Empty otherwise.</summary>
    public X509Certificate2Collection ChainCertificates =>
        IntermediateCertificate is null ? [] : [IntermediateCertificate];

    private X509Certificate2 IssuerCertificate { get; }

    private ECDsa IssuerKey => _intermediateKey ?? _rootKey;

    /// <summary>Valid (now-1d .. now+90d) serverAuth certificate for the given DNS names (SAN; CN = first name).</summary>
    public X509Certificate2 IssueLeaf(params string[] dnsNames) => IssueLeaf(new LeafCertificateOptions { DnsNames = dnsNames });

    /// <summary>Certificate whose validity ended yesterday (now-90d .. now-1d).</summary>
    public X509Certificate2 IssueExpiredLeaf(params string[] dnsNames) => IssueLeaf(new LeafCertificateOptions
    {
        DnsNames = dnsNames,
        NotBefore = DateTimeOffset.UtcNow.AddDays(-90),
        NotAfter = DateTimeOffset.UtcNow.AddDays(-1),
    });

    /// <summary>Certificate that is valid now but expires after <paramref name="remaining"/> (e.g. 5 days).</summary>
    public X509Certificate2 IssueLeafExpiringIn(TimeSpan remaining, params string[] dnsNames) => IssueLeaf(new LeafCertificateOptions
    {
        DnsNames = dnsNames,
        NotAfter = DateTimeOffset.UtcNow.Add(remaining),
    });

    /// <summary>Certificate that is not yet valid (starts in <paramref name="startsIn"/>).</summary>
    public X509Certificate2 IssueNotYetValidLeaf(TimeSpan startsIn, params string[] dnsNames) => IssueLeaf(new LeafCertificateOptions
    {
        DnsNames = dnsNames,
        NotBefore = DateTimeOffset.UtcNow.Add(startsIn),
        NotAfter = DateTimeOffset.UtcNow.Add(startsIn).AddDays(90),
    });

    /// <summary>Trusted certificate for a host name nobody asks for ("wrong-host.invalid" by default).</summary>
    public X509Certificate2 IssueWrongHostLeaf(string dnsName = "wrong-host.invalid") => IssueLeaf(dnsName);

    /// <summary>Certificate with the name only in the subject CN and no subjectAltName extension.</summary>
    public X509Certificate2 IssueCommonNameOnlyLeaf(string commonName) => IssueLeaf(new LeafCertificateOptions
    {
        CommonName = commonName,
        IncludeSubjectAlternativeName = false,
    });

    /// <summary>Issues a leaf certificate with its private key attached.</summary>
    public X509Certificate2 IssueLeaf(LeafCertificateOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var now = DateTimeOffset.UtcNow;
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = CreateLeafRequest(options, key);
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(IssuerCertificate, true, false));
        using var certificate = request.Create(
            IssuerCertificate.SubjectName,
            X509SignatureGenerator.CreateForECDsa(IssuerKey),
            options.NotBefore ?? now.AddDays(-1),
            options.NotAfter ?? now.AddDays(90),
            NewSerial());
        return WithReimportedKey(certificate, key);
    }

    /// <summary>Self-signed serverAuth certificate for <paramref name="dnsName"/>, not chaining to any test CA.</summary>
    public static X509Certificate2 CreateSelfSigned(string dnsName)
    {
        var now = DateTimeOffset.UtcNow;
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = CreateLeafRequest(new LeafCertificateOptions { DnsNames = [dnsName] }, key);
        using var certificate = request.CreateSelfSigned(now.AddDays(-1), now.AddDays(90));
        return Reimport(certificate);
    }

    /// <summary>The root certificate in PEM form (what the engine's --ca-file expects).</summary>
    public string ExportRootPem() => RootCertificate.ExportCertificatePem() + "\n";

    /// <summary>Writes <see cref="ExportRootPem"/> to <paramref name="path"/> and returns the path.</summary>
    public string WriteRootPemFile(string path)
    {
        File.WriteAllText(path, ExportRootPem(), new UTF8Encoding(false));
        return path;
    }

    /// <summary>
    /// Chain check against this CA only: the certificate must chain to <see cref="RootCertificate"/> using the
    /// intermediates in <paramref name="presentedIntermediates"/> (what the peer sent), and be within validity.
    /// </summary>
    public bool IsTrusted(X509Certificate2 certificate, IEnumerable<X509Certificate2>? presentedIntermediates = null)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(RootCertificate);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.DisableCertificateDownloads = true;
        if (presentedIntermediates is not null)
        {
            chain.ChainPolicy.ExtraStore.AddRange(presentedIntermediates.ToArray());
        }

        return chain.Build(certificate);
    }

    /// <summary>
    /// TLS client validation callback trusting only this CA (for HttpClient SslOptions, MailKit
    /// ServerCertificateValidationCallback, ...). Host name mismatches fail unless <paramref name="checkHostName"/> is false.
    /// </summary>
    public RemoteCertificateValidationCallback CreateValidationCallback(bool checkHostName = true) =>
        (_, certificate, chain, errors) =>
        {
            if (certificate is null || errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable))
            {
                return false;
            }

            if (checkHostName && errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch))
            {
                return false;
            }

            var presented = new List<X509Certificate2>();
            if (chain is not null)
            {
                presented.AddRange(chain.ChainPolicy.ExtraStore);
                presented.AddRange(chain.ChainElements.Select(e => e.Certificate));
            }

            var leaf = certificate as X509Certificate2 ?? X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
            return IsTrusted(leaf, presented);
        };

    public void Dispose()
    {
        _rootKey.Dispose();
        _intermediateKey?.Dispose();
    }

    private static CertificateRequest CreateCaRequest(string commonName, ECDsa key)
    {
        var subject = new X500DistinguishedNameBuilder();
        subject.AddCommonName(commonName);
        subject.AddOrganizationName("MonitorService Tests");
        var request = new CertificateRequest(subject.Build(), key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(
            X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign | X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        return request;
    }

    private static CertificateRequest CreateLeafRequest(LeafCertificateOptions options, ECDsa key)
    {
        var commonName = options.CommonName ?? options.DnsNames.FirstOrDefault() ?? options.IpAddresses.FirstOrDefault()?.ToString()
            ?? throw new ArgumentException("A leaf needs at least one DNS name, IP address or a common name.", nameof(options));
        var subject = new X500DistinguishedNameBuilder();
        subject.AddCommonName(commonName);
        var request = new CertificateRequest(subject.Build(), key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        if (options.IncludeServerAuthEku)
        {
            request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([ServerAuthOid], false));
        }

        if (options.IncludeSubjectAlternativeName && options.DnsNames.Count + options.IpAddresses.Count > 0)
        {
            var san = new SubjectAlternativeNameBuilder();
            foreach (var name in options.DnsNames)
            {
                san.AddDnsName(name);
            }

            foreach (var address in options.IpAddresses)
            {
                san.AddIpAddress(address);
            }

            request.CertificateExtensions.Add(san.Build());
        }

        if (options.CaIssuersUrl is not null || options.OcspUrl is not null)
        {
            request.CertificateExtensions.Add(new X509AuthorityInformationAccessExtension(
                options.OcspUrl is null ? null : [options.OcspUrl],
                options.CaIssuersUrl is null ? null : [options.CaIssuersUrl]));
        }

        if (options.CrlUrl is not null)
        {
            request.CertificateExtensions.Add(CertificateRevocationListBuilder.BuildCrlDistributionPointExtension([options.CrlUrl]));
        }

        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        return request;
    }

    private static X509Certificate2 WithReimportedKey(X509Certificate2 certificate, ECDsa key)
    {
        using var withKey = certificate.CopyWithPrivateKey(key);
        return Reimport(withKey);
    }

    // Ephemeral keys are not always usable by SslStream servers; a PKCS#12 round trip gives a persisted-style key.
    private static X509Certificate2 Reimport(X509Certificate2 withKey) =>
        X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null, X509KeyStorageFlags.Exportable);

    private static byte[] NewSerial()
    {
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;
        serial[0] |= 0x01;
        return serial;
    }
}
