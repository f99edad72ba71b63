using System.Net.Security;
using System.Security.Authentication;

namespace MonitorService.Testing;

/// <summary>
/// The server side of a TLS handshake on an SMTP connection, after STARTTLS or at once (implicit TLS): picks the
/// certificate by IP or SNI and records the outcome on the connection.
/// </summary>
internal static class SmtpTlsHandshake
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    /// <returns>The TLS stream over <paramref name="inner"/>; null when the handshake failed (the reason is in
    /// <see cref="SmtpConnectionRecord.TlsError"/>, and <paramref name="inner"/> is disposed).</returns>
    public static async Task<SslStream?> AuthenticateAsync(SmtpTestServer server, SmtpConnectionRecord record, Stream inner, CancellationToken stopping)
    {
        var local = record.LocalAddress;
        var ssl = new SslStream(inner, leaveInnerStreamOpen: false);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        timeout.CancelAfter(Timeout);
        try
        {
            await ssl.AuthenticateAsServerAsync(
                (_, hello, _, _) =>
                {
                    record.TlsHandshakeStarted = true;
                    var sni = string.IsNullOrEmpty(hello.ServerName) ? null : hello.ServerName;
                    record.SniHostName = sni;
                    return ValueTask.FromResult(server.CreateTlsOptions(local, sni));
                },
                null,
                timeout.Token);
        }
        catch (Exception ex) when (ex is AuthenticationException or IOException or OperationCanceledException or InvalidOperationException)
        {
            record.TlsError = ex.Message;
            await ssl.DisposeAsync();
            return null;
        }

        record.MarkTlsNegotiated(ssl.SslProtocol);
        return ssl;
    }
}
