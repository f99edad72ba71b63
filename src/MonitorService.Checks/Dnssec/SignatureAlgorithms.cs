using System.Security.Cryptography;

namespace MonitorService.Checks.Dnssec;

/// <summary>
/// The DNSSEC algorithms this validator verifies (RFC 8624 §3.1: the ones a validator must support, without the
/// SHA-1 based ones that distributions' crypto policies refuse): 8 RSASHA256, 10 RSASHA512, 13 ECDSAP256SHA256,
/// 14 ECDSAP384SHA384. A zone signed only with others is treated as unsigned (RFC 4035 §5.2).
/// </summary>
internal static class SignatureAlgorithms
{
    public const byte RsaSha256 = 8;
    public const byte RsaSha512 = 10;
    public const byte EcdsaP256Sha256 = 13;
    public const byte EcdsaP384Sha384 = 14;

    /// <summary>Largest RSA modulus accepted (RFC 3110 allows 4096 bits): bigger keys cost a hostile zone nothing and us much.</summary>
    private const int MaxRsaModulusBytes = 512;

    public static bool IsSupported(byte algorithm) => algorithm is RsaSha256 or RsaSha512 or EcdsaP256Sha256 or EcdsaP384Sha384;

    /// <summary>Whether <paramref name="signature"/> over <paramref name="data"/> verifies with the DNSKEY's public key; false for malformed keys.</summary>
    public static bool Verify(DnsKey key, byte[] data, byte[] signature)
    {
        try
        {
            return key.Algorithm switch
            {
                RsaSha256 => VerifyRsa(key.PublicKey, data, signature, HashAlgorithmName.SHA256),
                RsaSha512 => VerifyRsa(key.PublicKey, data, signature, HashAlgorithmName.SHA512),
                EcdsaP256Sha256 => VerifyEcdsa(key.PublicKey, data, signature, ECCurve.NamedCurves.nistP256, 32, HashAlgorithmName.SHA256),
                EcdsaP384Sha384 => VerifyEcdsa(key.PublicKey, data, signature, ECCurve.NamedCurves.nistP384, 48, HashAlgorithmName.SHA384),
                _ => false,
            };
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    /// <summary>RSA public key in RFC 3110 §2 form: exponent length (1 byte, or 0 and 2 bytes), exponent, modulus.</summary>
    private static bool VerifyRsa(byte[] publicKey, byte[] data, byte[] signature, HashAlgorithmName hash)
    {
        if (publicKey.Length < 3)
            return false;
        int exponentLength = publicKey[0];
        var offset = 1;
        if (exponentLength == 0)
        {
            exponentLength = (publicKey[1] << 8) | publicKey[2];
            offset = 3;
        }
        var modulusLength = publicKey.Length - offset - exponentLength;
        if (exponentLength == 0 || modulusLength <= 0 || modulusLength > MaxRsaModulusBytes)
            return false;
        using var rsa = RSA.Create();
        rsa.ImportParameters(new RSAParameters
        {
            Exponent = publicKey[offset..(offset + exponentLength)],
            Modulus = publicKey[(offset + exponentLength)..],
        });
        return rsa.VerifyData(data, signature, hash, RSASignaturePadding.Pkcs1);
    }

    /// <summary>ECDSA public key Q = x | y, signature r | s (RFC 6605 §4), which is .NET's IEEE P1363 format.</summary>
    private static bool VerifyEcdsa(byte[] publicKey, byte[] data, byte[] signature, ECCurve curve, int size, HashAlgorithmName hash)
    {
        if (publicKey.Length != 2 * size || signature.Length != 2 * size)
            return false;
        using var ecdsa = ECDsa.Create(new ECParameters
        {
            Curve = curve,
            Q = new ECPoint { X = publicKey[..size], Y = publicKey[size..] },
        });
        return ecdsa.VerifyData(data, signature, hash);
    }
}

/// <summary>DS digests (RFC 4034 §5.1.4): SHA-1 (1), SHA-256 (2, RFC 4509), SHA-384 (4, RFC 6605).</summary>
internal static class DsDigests
{
    public static bool IsSupported(byte digestType) => digestType is 1 or 2 or 4;

    /// <summary>digest = hash(owner name in canonical form | DNSKEY RDATA).</summary>
    public static byte[]? Compute(byte digestType, DomainLabels owner, byte[] dnskeyRData)
    {
        byte[] input = [.. owner.ToWire(), .. dnskeyRData];
        return digestType switch
        {
            1 => SHA1.HashData(input),
            2 => SHA256.HashData(input),
            4 => SHA384.HashData(input),
            _ => null,
        };
    }

    /// <summary>Whether the DS names this DNSKEY: same key tag and algorithm, and the digest matches.</summary>
    public static bool Matches(Ds ds, DomainLabels owner, DnsKey key) =>
        ds.KeyTag == key.KeyTag && ds.Algorithm == key.Algorithm && Compute(ds.DigestType, owner, key.RData) is { } digest
        && CryptographicOperations.FixedTimeEquals(digest, ds.Digest);
}
