using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace MonitorService.Storage.Embedded;

/// <summary>
/// The SCRAM-SHA-256 verifier PostgreSQL stores for a password (RFC 5802/7677, PostgreSQL's
/// <c>SCRAM-SHA-256$iterations:salt$StoredKey:ServerKey</c> form).
/// </summary>
/// <remarks>
/// We hand PostgreSQL the verifier rather than the password (it stores a pre-hashed value as given), so the password
/// itself never appears in a statement, a server log line or a process's input.
/// </remarks>
internal static class ScramVerifier
{
    private const int Iterations = 4096; // PostgreSQL's default scram_iterations

    /// <summary>
    /// The verifier of <paramref name="password"/>. The password must be ASCII without control characters, so that
    /// SASLprep leaves it unchanged (ours are hexadecimal).
    /// </summary>
    public static string Create(string password)
    {
        if (!password.All(c => c is > ' ' and < (char)127))
        {
            throw new ArgumentException("Only printable ASCII passwords are supported.", nameof(password));
        }
        var salt = RandomNumberGenerator.GetBytes(16);
        var salted = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, Iterations, HashAlgorithmName.SHA256, 32);
        var clientKey = HMACSHA256.HashData(salted, "Client Key"u8);
        var storedKey = SHA256.HashData(clientKey);
        var serverKey = HMACSHA256.HashData(salted, "Server Key"u8);
        return string.Create(CultureInfo.InvariantCulture,
            $"SCRAM-SHA-256${Iterations}:{Convert.ToBase64String(salt)}${Convert.ToBase64String(storedKey)}:{Convert.ToBase64String(serverKey)}");
    }
}
