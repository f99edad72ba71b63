using System.Security.Cryptography;

namespace MonitorService.Testing.Dns.Dnssec;

/// <summary>
/// A zone's signing key for the test hierarchy: one combined signing key (flags 257: zone key and SEP) per zone, with
/// algorithm 8 (RSASHA256), 10 (RSASHA512), 13 (ECDSAP256SHA256) or 14 (ECDSAP384SHA384).
/// Written apart from the validator in MonitorService.Checks on purpose, and checked against BIND's tools.
/// </summary>
public sealed class TestZoneKey : IDisposable
{
    private readonly RSA? _rsa;
    private readonly ECDsa? _ecdsa;

    public TestZoneKey(byte algorithm)
    {
        Algorithm = algorithm;
        byte[] publicKey;
        switch (algorithm)
        {
            case 8 or 10:
                _rsa = RSA.Create(2048);
                var p = _rsa.ExportParameters(false);
                // RFC 3110 §2: exponent length (one byte when it fits), exponent, modulus.
                publicKey = [(byte)p.Exponent!.Length, .. p.Exponent, .. p.Modulus!];
                break;
            case 13 or 14:
                _ecdsa = ECDsa.Create(algorithm == 13 ? ECCurve.NamedCurves.nistP256 : ECCurve.NamedCurves.nistP384);
                var q = _ecdsa.ExportParameters(false).Q;
                publicKey = [.. q.X!, .. q.Y!];
                break;
            default:
                throw new ArgumentException($"The test signer cannot sign with algorithm {algorithm}.", nameof(algorithm));
        }
        PublicKey = publicKey;
        DnskeyRData = [0x01, 0x01, 3, algorithm, .. publicKey];
        KeyTag = ComputeKeyTag(DnskeyRData);
    }

    public byte Algorithm { get; }
    public byte[] PublicKey { get; }
    public byte[] DnskeyRData { get; }
    public ushort KeyTag { get; }

    /// <summary>The key in presentation format (for trust anchor files and BIND's tools).</summary>
    public string DnskeyText(string owner) => $"{owner} 3600 IN DNSKEY 257 3 {Algorithm} {Convert.ToBase64String(PublicKey)}";

    public byte[] Sign(byte[] data) => Algorithm switch
    {
        8 => _rsa!.SignData(data, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
        10 => _rsa!.SignData(data, HashAlgorithmName.SHA512, RSASignaturePadding.Pkcs1),
        13 => _ecdsa!.SignData(data, HashAlgorithmName.SHA256),
        _ => _ecdsa!.SignData(data, HashAlgorithmName.SHA384),
    };

    /// <summary>SHA-256 DS RDATA (RFC 4509): key tag, algorithm, 2, SHA-256(owner wire | DNSKEY RDATA).</summary>
    public byte[] DsRData(string owner)
    {
        byte[] digest = SHA256.HashData([.. DnsName.Encode(DnsName.Normalize(owner)), .. DnskeyRData]);
        return [(byte)(KeyTag >> 8), (byte)KeyTag, Algorithm, 2, .. digest];
    }

    public void Dispose()
    {
        _rsa?.Dispose();
        _ecdsa?.Dispose();
    }

    private static ushort ComputeKeyTag(byte[] rdata)
    {
        long sum = 0;
        for (int i = 0; i < rdata.Length; i++)
        {
            sum += i % 2 == 0 ? rdata[i] << 8 : rdata[i];
        }

        sum += (sum >> 16) & 0xFFFF;
        return (ushort)(sum & 0xFFFF);
    }
}
