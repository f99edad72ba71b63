using System.Collections.Concurrent;

namespace MonitorService.Testing;

/// <summary>
/// The accounts an <see cref="SmtpTestServer"/> accepts in AUTH, and the SASL mechanisms it offers for them. With at
/// least one account the server behaves like a submission service: AUTH is offered only on a TLS connection (after
/// STARTTLS or on implicit TLS) and MAIL is refused until the client has logged in. Thread-safe.
/// </summary>
public sealed class SmtpCredentials
{
    private readonly ConcurrentDictionary<string, string> _passwords = new(StringComparer.Ordinal);
    private volatile string[] _mechanisms = [SmtpAuthMechanisms.Plain, SmtpAuthMechanisms.Login];

    /// <summary>True when at least one account exists: AUTH is offered (over TLS) and required before MAIL.</summary>
    public bool Required => !_passwords.IsEmpty;

    /// <summary>Mechanisms listed in the EHLO AUTH line, in this order; any of <see cref="SmtpAuthMechanisms.All"/>.</summary>
    public IReadOnlyList<string> Mechanisms
    {
        get => _mechanisms;
        set
        {
            ArgumentNullException.ThrowIfNull(value);
            var unknown = value.FirstOrDefault(m => !SmtpAuthMechanisms.All.Contains(m, StringComparer.Ordinal));
            if (unknown is not null || value.Count == 0)
            {
                throw new ArgumentException($"Mechanisms must be some of {string.Join(", ", SmtpAuthMechanisms.All)}; got '{unknown}'.", nameof(value));
            }

            _mechanisms = [.. value];
        }
    }

    /// <summary>Adds (or replaces) an account.</summary>
    public void Add(string username, string password)
    {
        ArgumentException.ThrowIfNullOrEmpty(username);
        ArgumentNullException.ThrowIfNull(password);
        _passwords[username] = password;
    }

    public void Clear() => _passwords.Clear();

    /// <summary>Whether the account exists and the password is its password (case-sensitive, like real servers).</summary>
    public bool Verify(string username, string password) =>
        _passwords.TryGetValue(username, out var expected) && string.Equals(expected, password, StringComparison.Ordinal);

    public bool Offers(string mechanism) => _mechanisms.Contains(mechanism, StringComparer.OrdinalIgnoreCase);
}

/// <summary>The SASL mechanisms <see cref="SmtpTestServer"/> implements.</summary>
public static class SmtpAuthMechanisms
{
    /// <summary>RFC 4616: one message, <c>authzid NUL authcid NUL password</c>, base64.</summary>
    public const string Plain = "PLAIN";

    /// <summary>The de-facto LOGIN mechanism: user name and password each asked for with a 334 prompt, base64.</summary>
    public const string Login = "LOGIN";

    public static IReadOnlyList<string> All { get; } = [Plain, Login];
}
