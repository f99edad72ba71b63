using System.Security.Cryptography.X509Certificates;

namespace MonitorService.Checks.Certificates;

/// <summary>The roots a certificate may chain to: the system's, plus extra roots an operator configured (a PEM file).</summary>
public sealed class TrustAnchors
{
    public static readonly TrustAnchors SystemOnly = new([]);

    public TrustAnchors(IReadOnlyCollection<X509Certificate2> extraRoots) => ExtraRoots = extraRoots;

    public IReadOnlyCollection<X509Certificate2> ExtraRoots { get; }

    /// <exception cref="InvalidOperationException">The file is missing, unreadable or holds no certificate.</exception>
    public static TrustAnchors FromPemFile(string path)
    {
        if (!File.Exists(path))
            throw new InvalidOperationException($"CA file '{path}' does not exist.");
        var collection = new X509Certificate2Collection();
        try
        {
            collection.ImportFromPemFile(path);
        }
        catch (Exception e) when (e is System.Security.Cryptography.CryptographicException or IOException or UnauthorizedAccessException)
        {
            throw new InvalidOperationException($"CA file '{path}' could not be read as PEM certificates: {e.Message}", e);
        }
        if (collection.Count == 0)
            throw new InvalidOperationException($"CA file '{path}' holds no PEM certificate (expected -----BEGIN CERTIFICATE-----).");
        return new TrustAnchors(collection.ToList());
    }
}
