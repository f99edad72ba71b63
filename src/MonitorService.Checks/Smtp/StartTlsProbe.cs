using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using MonitorService.Checks.Certificates;
using MonitorService.Checks.Net;

namespace MonitorService.Checks.Smtp;

/// <summary>
/// Probes one MX host the way a sending MTA would before delivery (RFC 8461 §4.2, §7.1): greeting, EHLO, STARTTLS,
/// handshake with SNI set to the MX host name, EHLO, QUIT. It never sends a message. The socket is one we connected
/// ourselves to a guarded address; MailKit speaks SMTP over it.
/// </summary>
public sealed class StartTlsProbe(CertificateInspector inspector, StartTlsProbeSettings settings)
{
    public async Task<SmtpProbeResult> ProbeAsync(string mxHost, IPAddress address, CancellationToken cancellationToken)
    {
        var recorder = new SmtpDialogueRecorder();
        using var client = new OfflineSmtpClient(recorder)
        {
            Timeout = (int)settings.Timeout.TotalMilliseconds,
            LocalDomain = settings.HeloName,
            CheckCertificateRevocation = false,
            CertificateInspectedByCallback = true,
        };
        X509Certificate2? leaf = null;
        List<X509Certificate2> intermediates = [];
        client.ServerCertificateValidationCallback = (_, certificate, chain, _) =>
        {
            if (certificate is not null)
            {
                // Duplicates outlive the handshake's objects and share their parsed form (loading from bytes again
                // costs about 0.25 ms of CPU each: OpenSSL 3 decoding).
                leaf = new X509Certificate2(certificate);
                intermediates = chain?.ChainPolicy.ExtraStore.Select(c => new X509Certificate2(c)).ToList() ?? [];
            }
            return true; // judged by CertificateInspector, so the report says what is wrong with the certificate
        };

        Socket socket;
        try
        {
            socket = await GuardedConnector.ConnectAsync(address, settings.Port, settings.Timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is SocketException or TimeoutException)
        {
            return new SmtpProbeResult { Address = address, FailedAt = SmtpProbeStage.Connect, Error = e.Message };
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        // A trickling server could keep each read under the per-read timeout forever: bound the whole dialogue too.
        deadline.CancelAfter(DialogueLimit);
        // MailKit reads through this stream, the TLS handshake included: at most MaxProbeBytes, never past the deadline.
        await using var connection = new BoundedReadStream(new NetworkStream(socket, ownsSocket: true), SmtpReadLimits.MaxProbeBytes, deadline.Token);
        try
        {
            await client.ConnectAsync(connection, mxHost, settings.Port, SecureSocketOptions.StartTls, deadline.Token).ConfigureAwait(false);
            var result = Result(address, SmtpProbeStage.Done, recorder, leaf, intermediates, mxHost, null) with
            {
                StartTlsOffered = true,
                Protocol = Describe(client.SslProtocol),
                CipherSuite = client.SslCipherSuite?.ToString(),
            };
            await QuitQuietlyAsync(client, deadline.Token).ConfigureAwait(false);
            return result;
        }
        catch (Exception e) when (SmtpReadLimitException.Find(e) is { } limit)
        {
            var error = $"{recorder.CurrentStage} did not end within the probe's limits ({limit.Limit}); it began \"{recorder.ReplyStart}\". "
                + $"The probe stopped reading after {connection.BytesRead:N0} bytes";
            return Result(address, StageOf(recorder, leaf), recorder, leaf, intermediates, mxHost, error) with
            {
                StartTlsOffered = leaf is not null || recorder.LastCommand == "STARTTLS",
                CutOff = true,
            };
        }
        catch (NotSupportedException) when (client.IsConnected || recorder.Greeting is not null)
        {
            // MailKit refuses StartTls when EHLO did not offer it.
            return Result(address, SmtpProbeStage.StartTls, recorder, null, [], mxHost, "the server does not offer STARTTLS in its EHLO reply");
        }
        catch (SslHandshakeException e)
        {
            return Result(address, SmtpProbeStage.Handshake, recorder, leaf, intermediates, mxHost, $"TLS handshake failed: {Innermost(e)}") with { StartTlsOffered = true };
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return Result(address, StageOf(recorder, leaf), recorder, leaf, intermediates, mxHost, $"the server did not complete the dialogue within {DialogueLimit.TotalSeconds:0.#} s");
        }
        catch (Exception e) when (e is IOException or SocketException or TimeoutException or SmtpCommandException or SmtpProtocolException or ServiceNotConnectedException)
        {
            return Result(address, StageOf(recorder, leaf), recorder, leaf, intermediates, mxHost, Innermost(e));
        }
    }

    /// <summary>The whole dialogue's limit, from the first byte of the greeting to QUIT.</summary>
    public TimeSpan DialogueLimit => settings.Timeout * 3;

    /// <summary>
    /// Where a dialogue that broke off stopped: within the greeting (MailKit sends EHLO only after a complete one), or
    /// after it (then STARTTLS or the handshake broke).
    /// </summary>
    private static SmtpProbeStage StageOf(SmtpDialogueRecorder recorder, X509Certificate2? leaf) =>
        recorder.LastCommand is null ? SmtpProbeStage.Greeting : leaf is null ? SmtpProbeStage.Handshake : SmtpProbeStage.Done;

    private SmtpProbeResult Result(IPAddress address, SmtpProbeStage stage, SmtpDialogueRecorder recorder,
        X509Certificate2? leaf, List<X509Certificate2> intermediates, string mxHost, string? error) => new()
        {
            Address = address,
            FailedAt = stage,
            Greeting = recorder.Greeting,
            StartTlsOffered = stage >= SmtpProbeStage.Handshake,
            Certificate = leaf is null ? null : inspector.Inspect(leaf, intermediates, mxHost),
            PresentedChain = Smtp.PresentedChain.Capture(leaf, intermediates),
            Error = error is null ? null : Bounded(error),
        };

    /// <summary>
    /// MailKit's errors carry the server's reply text, up to a whole reply (64 KiB): reports, findings and stored
    /// snapshots keep the start of it, on one line.
    /// </summary>
    private static string Bounded(string text)
    {
        const int MaxChars = 400;
        var line = string.Join(' ', text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries));
        return line.Length <= MaxChars ? line : line[..MaxChars] + "…";
    }

    private static async Task QuitQuietlyAsync(SmtpClient client, CancellationToken cancellationToken)
    {
        try
        {
            await client.DisconnectAsync(quit: true, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or SocketException or SmtpCommandException or SmtpProtocolException or OperationCanceledException)
        {
            // The verdict is already in; a server that drops the connection on QUIT changes nothing.
        }
    }

    private static string Describe(System.Security.Authentication.SslProtocols protocol) => protocol switch
    {
        System.Security.Authentication.SslProtocols.Tls13 => "TLS 1.3",
        System.Security.Authentication.SslProtocols.Tls12 => "TLS 1.2",
#pragma warning disable SYSLIB0039 // naming old protocols is the point: they are what we warn about
        System.Security.Authentication.SslProtocols.Tls11 => "TLS 1.1",
        System.Security.Authentication.SslProtocols.Tls => "TLS 1.0",
#pragma warning restore SYSLIB0039
        _ => protocol.ToString(),
    };

    private static string Innermost(Exception e)
    {
        while (e.InnerException is not null)
            e = e.InnerException;
        return e.Message;
    }
}

/// <summary>Port, time limit and the name we announce in EHLO.</summary>
public sealed record StartTlsProbeSettings(int Port, TimeSpan Timeout, string HeloName = "monitor.invalid");
