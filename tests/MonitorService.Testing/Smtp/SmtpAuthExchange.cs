using System.Text;

namespace MonitorService.Testing;

/// <summary>What one AUTH command came to. <see cref="Username"/> is null when the client never named one.</summary>
public sealed record SmtpAuthAttempt(string Mechanism, string? Username, bool Succeeded);

/// <summary>
/// The server side of one AUTH command (RFC 4954) for PLAIN (RFC 4616) and LOGIN, with or without an initial response.
/// Only decodes and verifies; whether AUTH is allowed at all on the connection is the session's call.
/// </summary>
internal static class SmtpAuthExchange
{
    public const string Succeeded = "235 2.7.0 Authentication successful";
    public const string Refused = "535 5.7.8 Authentication credentials invalid";

    /// <param name="argument">What follows "AUTH ": the mechanism and, optionally, the initial response.</param>
    /// <param name="challenge">Sends "334 text" and returns the client's answer line.</param>
    /// <returns>The attempt (null when no mechanism was tried) and the final reply to send.</returns>
    public static async Task<(SmtpAuthAttempt? Attempt, string Reply)> RunAsync(
        string argument, SmtpCredentials credentials, Func<string, Task<string>> challenge)
    {
        var parts = argument.Split(' ', 2, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (parts.Length == 0)
        {
            return (null, "501 5.5.4 Syntax: AUTH mechanism [initial-response]");
        }

        var mechanism = parts[0].ToUpperInvariant();
        if (!credentials.Offers(mechanism))
        {
            return (null, "504 5.5.4 Unrecognized authentication type");
        }

        var initial = parts.Length > 1 ? parts[1] : null;
        return mechanism == SmtpAuthMechanisms.Plain
            ? await PlainAsync(initial, credentials, challenge)
            : await LoginAsync(initial, credentials, challenge);
    }

    private static async Task<(SmtpAuthAttempt?, string)> PlainAsync(string? initial, SmtpCredentials credentials, Func<string, Task<string>> challenge)
    {
        var response = initial ?? await challenge("");
        if (response == "*")
        {
            return (new SmtpAuthAttempt(SmtpAuthMechanisms.Plain, null, false), "501 5.0.0 Authentication cancelled");
        }

        // "=" is an empty initial response (RFC 4954 section 4).
        if (!TryDecode(response == "=" ? "" : response, out var message))
        {
            return (new SmtpAuthAttempt(SmtpAuthMechanisms.Plain, null, false), "501 5.5.2 Cannot decode response");
        }

        var fields = message.Split('\0');
        if (fields.Length != 3 || fields[1].Length == 0)
        {
            return (new SmtpAuthAttempt(SmtpAuthMechanisms.Plain, null, false), "501 5.5.2 Malformed PLAIN response");
        }

        var ok = credentials.Verify(fields[1], fields[2]);
        return (new SmtpAuthAttempt(SmtpAuthMechanisms.Plain, fields[1], ok), ok ? Succeeded : Refused);
    }

    private static async Task<(SmtpAuthAttempt?, string)> LoginAsync(string? initial, SmtpCredentials credentials, Func<string, Task<string>> challenge)
    {
        var userLine = initial ?? await challenge(Encode("Username:"));
        if (userLine == "*" || !TryDecode(userLine, out var username))
        {
            return (new SmtpAuthAttempt(SmtpAuthMechanisms.Login, null, false), userLine == "*" ? "501 5.0.0 Authentication cancelled" : "501 5.5.2 Cannot decode response");
        }

        var passwordLine = await challenge(Encode("Password:"));
        if (passwordLine == "*" || !TryDecode(passwordLine, out var password))
        {
            return (new SmtpAuthAttempt(SmtpAuthMechanisms.Login, username, false), passwordLine == "*" ? "501 5.0.0 Authentication cancelled" : "501 5.5.2 Cannot decode response");
        }

        var ok = credentials.Verify(username, password);
        return (new SmtpAuthAttempt(SmtpAuthMechanisms.Login, username, ok), ok ? Succeeded : Refused);
    }

    private static string Encode(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

    private static bool TryDecode(string base64, out string text)
    {
        text = string.Empty;
        var buffer = new byte[base64.Length];
        if (!Convert.TryFromBase64String(base64, buffer, out var length))
        {
            return false;
        }

        text = Encoding.UTF8.GetString(buffer, 0, length);
        return true;
    }
}
