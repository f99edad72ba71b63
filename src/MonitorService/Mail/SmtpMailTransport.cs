using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;
using MonitorService.Checks.Smtp;

namespace MonitorService.Mail;

/// <summary>
/// Delivery through the configured mail server with MailKit, one connection per message. Failures are sorted for
/// the retry policy: unreachable and 4xx are worth retrying, 5xx is not; a refused or missing login is our
/// configuration's fault, retried once it may have been fixed. A recipient the server refuses does not stop the
/// message for the others (<see cref="RecipientRecordingSmtpClient"/>). The password never goes into an error message.
/// </summary>
public sealed class SmtpMailTransport(IOptions<SmtpOptions> options) : IMailTransport
{
    private readonly Lazy<X509Certificate2Collection?> _extraRoots = new(() =>
        options.Value.CaFile is { } file ? PrivateRootCertificates.LoadRoots(file) : null);

    public string Destination => $"smtp://{Smtp.Host}:{Smtp.EffectivePort}";

    private SmtpOptions Smtp => options.Value;

    public async Task<MailSent> SendAsync(MimeMessage message, IReadOnlyList<string> recipients, CancellationToken cancellationToken)
    {
        using var client = new RecipientRecordingSmtpClient { Timeout = (int)Smtp.Timeout.TotalMilliseconds };
        if (_extraRoots.Value is { } roots)
            client.ServerCertificateValidationCallback = (_, certificate, _, errors) => PrivateRootCertificates.Validate(certificate, errors, roots);
        try
        {
            await client.ConnectAsync(Smtp.Host!, Smtp.EffectivePort, SocketOptions(Smtp.Security), cancellationToken);
        }
        catch (Exception e) when (e is SocketException or IOException or SslHandshakeException or TimeoutException or SmtpProtocolException
                                      or NotSupportedException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            throw new MailDeliveryException(DeliveryFailureKind.Unreachable, $"Cannot reach {Destination}: {e.Message}", e);
        }
        catch (SmtpCommandException e)
        {
            throw Classify(e);
        }

        try
        {
            if (!string.IsNullOrEmpty(Smtp.Username))
            {
                // Never sent where the server does not ask for it (servers offer AUTH only on encrypted connections).
                if (!client.Capabilities.HasFlag(SmtpCapabilities.Authentication))
                    throw new MailDeliveryException(DeliveryFailureKind.LoginRefused, $"{Destination} does not offer a login (AUTH) on this connection"
                        + (Smtp.Security == SmtpSecurity.None ? "; servers offer it only on encrypted connections: set Smtp:Security to StartTls or Tls." : "."));
                await client.AuthenticateAsync(Smtp.Username, Smtp.Password ?? "", cancellationToken);
            }
            // The envelope is ours, not the To header's: a follow-up delivery goes only to the recipients still owed the message.
            var sender = message.Sender ?? message.From.Mailboxes.First();
            var reply = await client.SendAsync(message, sender, recipients.Select(MailboxAddress.Parse), cancellationToken);
            await client.DisconnectAsync(quit: true, cancellationToken);
            return new MailSent(reply, [.. client.Refused]);
        }
        catch (RecipientRecordingSmtpClient.NoRecipientAcceptedException e)
        {
            var refused = client.Refused.ToList();
            // Permanent only when every refusal is: a recipient refused for now may still get it on a later try.
            var kind = refused.All(r => r.IsPermanent) ? DeliveryFailureKind.Permanent : DeliveryFailureKind.Transient;
            throw new MailDeliveryException(kind, $"{Destination}: every recipient refused: {string.Join("; ", refused)}", e, refused);
        }
        catch (AuthenticationException e)
        {
            throw new MailDeliveryException(DeliveryFailureKind.LoginRefused,
                $"{Destination} refused the login of {Smtp.Username}: {e.Message}. Check Smtp:Username and Smtp:Password.", e);
        }
        catch (ServiceNotAuthenticatedException e)
        {
            // 530: the server accepts mail only after a login.
            throw new MailDeliveryException(DeliveryFailureKind.LoginRefused,
                $"{Destination} requires a login: 530 {e.Message}. {(string.IsNullOrEmpty(Smtp.Username) ? "Set" : "Check")} Smtp:Username and Smtp:Password.", e);
        }
        catch (SmtpCommandException e)
        {
            throw Classify(e);
        }
        catch (Exception e) when (e is SocketException or IOException or TimeoutException or SmtpProtocolException or ServiceNotConnectedException
                                      or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            throw new MailDeliveryException(DeliveryFailureKind.Unreachable, $"Lost the connection to {Destination}: {e.Message}", e);
        }
    }

    private MailDeliveryException Classify(SmtpCommandException e)
    {
        var code = (int)e.StatusCode;
        var kind = code >= 500 ? DeliveryFailureKind.Permanent : DeliveryFailureKind.Transient;
        var what = e.ErrorCode switch
        {
            SmtpErrorCode.RecipientNotAccepted => $"recipient {e.Mailbox} refused",
            SmtpErrorCode.SenderNotAccepted => $"sender {e.Mailbox} refused",
            _ => "message refused",
        };
        return new MailDeliveryException(kind, $"{Destination}: {what}: {code} {e.Message}", e);
    }

    private static SecureSocketOptions SocketOptions(SmtpSecurity security) => security switch
    {
        SmtpSecurity.None => SecureSocketOptions.None,
        SmtpSecurity.Tls => SecureSocketOptions.SslOnConnect,
        _ => SecureSocketOptions.StartTls,
    };
}
