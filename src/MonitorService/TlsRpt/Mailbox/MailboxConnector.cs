using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MonitorService.Mail;

namespace MonitorService.TlsRpt.Mailbox;

/// <summary>
/// Opens a logged-in IMAP session to the configured server, and only to it (our own mailbox, never an address taken from
/// a message). Connecting, and then logging in, must each finish within TlsRpt:Imap:Timeout, as must every later command.
/// Failures come out as <see cref="MailboxUnavailableException"/>; the password never goes into a message.
/// </summary>
public sealed class MailboxConnector(IOptions<MailboxOptions> options)
{
    private readonly Lazy<X509Certificate2Collection?> _extraRoots = new(() =>
        options.Value.CaFile is { } file ? PrivateRootCertificates.LoadRoots(file) : null);

    private MailboxOptions Imap => options.Value;

    public string Destination => $"imap://{Imap.Host}:{Imap.EffectivePort}";

    public async Task<ImapClient> ConnectAsync(CancellationToken cancellationToken)
    {
        var client = new ImapClient { Timeout = (int)Imap.Timeout.TotalMilliseconds };
        if (_extraRoots.Value is { } roots)
            client.ServerCertificateValidationCallback = (_, certificate, _, errors) => PrivateRootCertificates.Validate(certificate, errors, roots);
        try
        {
            using (var limit = Limit(cancellationToken))
                await client.ConnectAsync(Imap.Host!, Imap.EffectivePort, SocketOptions(Imap.Security), limit.Token);
            using (var limit = Limit(cancellationToken))
                await LoginAsync(client, limit.Token);
            return client;
        }
        catch (AuthenticationException e)
        {
            client.Dispose();
            throw new MailboxUnavailableException(MailboxFailureKind.LoginRefused,
                $"{Destination} refused the login of {Imap.User}: {e.Message} Check TlsRpt:Imap:User and TlsRpt:Imap:Password.", e);
        }
        catch (Exception e) when (e is SocketException or IOException or SslHandshakeException or TimeoutException or ImapProtocolException
                                      or ImapCommandException or NotSupportedException
                                      or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            client.Dispose();
            var why = e is OperationCanceledException ? $"no answer within TlsRpt:Imap:Timeout ({Imap.Timeout})" : e.Message;
            throw new MailboxUnavailableException(MailboxFailureKind.Unreachable, $"Cannot reach {Destination}: {why}", e);
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    /// <summary>
    /// One login attempt: SASL PLAIN where offered, else the LOGIN command. MailKit's own loop would try every mechanism
    /// in turn, and servers delay each failed attempt more than the last (Dovecot: 2 s, doubling), so a wrong password
    /// would look like a server that does not answer.
    /// </summary>
    private async Task LoginAsync(ImapClient client, CancellationToken ct)
    {
        var credentials = new NetworkCredential(Imap.User, Imap.Password);
        if (client.AuthenticationMechanisms.Contains("PLAIN"))
        {
            await client.AuthenticateAsync(new SaslMechanismPlain(credentials), ct);
            return;
        }
        client.AuthenticationMechanisms.Clear();
        await client.AuthenticateAsync(credentials, ct);
    }

    private CancellationTokenSource Limit(CancellationToken cancellationToken)
    {
        var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(Imap.Timeout);
        return limit;
    }

    private static SecureSocketOptions SocketOptions(MailboxSecurity security) => security switch
    {
        MailboxSecurity.None => SecureSocketOptions.None,
        MailboxSecurity.StartTls => SecureSocketOptions.StartTls,
        _ => SecureSocketOptions.SslOnConnect,
    };
}
