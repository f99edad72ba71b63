using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Text;

namespace MonitorService.Testing;

/// <summary>
/// One SMTP conversation: (implicit TLS,) greeting, EHLO/HELO, STARTTLS, AUTH, MAIL/RCPT/DATA, RSET, NOOP, VRFY, QUIT.
/// </summary>
internal sealed class SmtpSession
{
    private const int MaxMessageChars = 32 * 1024 * 1024;

    private readonly SmtpTestServer _server;
    private readonly Socket _socket;
    private readonly SmtpConnectionRecord _record;
    private readonly CancellationToken _stopping;
    private readonly SmtpLineReader _reader;
    private Stream _stream;
    private string? _helo;
    private string? _mailFrom;
    private string? _user;
    private readonly List<string> _recipients = [];

    public SmtpSession(SmtpTestServer server, Socket socket, SmtpConnectionRecord record, CancellationToken stopping)
    {
        _server = server;
        _socket = socket;
        _record = record;
        _stopping = stopping;
        _stream = new NetworkStream(socket, ownsSocket: false);
        _reader = new SmtpLineReader(_stream);
    }

    private bool IsTls => _stream is SslStream;

    private bool OffersStartTls => !IsTls && _record.Behavior != SmtpBehavior.NoStartTls;

    public async Task RunAsync()
    {
        try
        {
            switch (_record.Behavior)
            {
                case SmtpBehavior.CloseImmediately:
                    return;
                case SmtpBehavior.NoGreeting:
                    await DrainUntilClosedAsync();
                    return;
                case SmtpBehavior.FloodGreeting:
                    await FloodAsync("220-");
                    return;
                case SmtpBehavior.GreetingWithoutLineEnd:
                    await WriteAsync("220 ");
                    await FloodAsync(null);
                    return;
                case SmtpBehavior.TrickleGreeting:
                    await TrickleAsync("220-");
                    return;
                case SmtpBehavior.LongGreetingLine:
                    await WriteAsync("220 ");
                    await FloodAsync(null, _server.LongLineBytes);
                    await WriteAsync("\r\n");
                    await CommandLoopAsync();
                    return;
                default:
                    if (_record.ImplicitTls && !await ImplicitTlsAsync())
                    {
                        return;
                    }

                    await ReplyAsync($"220 {_server.ServerName} ESMTP MonitorService test sink");
                    await CommandLoopAsync();
                    return;
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or SocketException or InvalidDataException
                                       or ObjectDisposedException or AuthenticationException)
        {
            // Client vanished, idle timeout, or the server is stopping. With TLS 1.3 a client rejecting the
            // certificate only shows up here, as an alert on the first read after the handshake.
            if (IsTls && ex is IOException or AuthenticationException)
            {
                _record.TlsError ??= ex.Message;
            }
        }
        finally
        {
            await _stream.DisposeAsync();
            try
            {
                _socket.Shutdown(SocketShutdown.Both);
            }
            catch (SocketException)
            {
            }
            catch (ObjectDisposedException)
            {
            }

            _socket.Dispose();
            _record.MarkClosed();
        }
    }

    private async Task CommandLoopAsync()
    {
        while (true)
        {
            var line = await ReadLineAsync();
            if (line is null)
            {
                return;
            }

            var space = line.IndexOf(' ', StringComparison.Ordinal);
            var verb = (space < 0 ? line : line[..space]).ToUpperInvariant();
            var argument = space < 0 ? string.Empty : line[(space + 1)..].Trim();
            _record.AddCommand(verb == "AUTH" ? WithoutCredentials(argument) : line);
            switch (verb)
            {
                case "EHLO":
                    await EhloAsync(argument);
                    break;
                case "HELO":
                    _helo = argument;
                    ResetTransaction();
                    await ReplyAsync($"250 {_server.ServerName}");
                    break;
                case "STARTTLS":
                    if (!await StartTlsAsync())
                    {
                        return;
                    }

                    break;
                case "AUTH":
                    await AuthAsync(argument);
                    break;
                case "MAIL":
                    await MailAsync(argument);
                    break;
                case "RCPT":
                    await RcptAsync(argument);
                    break;
                case "DATA":
                    await DataAsync();
                    break;
                case "RSET":
                    ResetTransaction();
                    await ReplyAsync("250 2.0.0 OK");
                    break;
                case "NOOP":
                    await ReplyAsync("250 2.0.0 OK");
                    break;
                case "VRFY":
                    await ReplyAsync("252 2.5.0 Cannot VRFY user, but will accept message");
                    break;
                case "QUIT":
                    await ReplyAsync("221 2.0.0 Bye");
                    return;
                default:
                    await ReplyAsync("500 5.5.2 Command not recognized");
                    break;
            }
        }
    }

    private async Task EhloAsync(string argument)
    {
        _helo = argument;
        ResetTransaction();
        if (_record.Behavior == SmtpBehavior.FloodEhlo || (_record.Behavior == SmtpBehavior.FloodEhloAfterTls && IsTls))
        {
            await FloodAsync("250-");
            throw new IOException("Flood limit reached.");
        }

        var lines = new List<string> { $"{_server.ServerName} greets {argument}", "8BITMIME", "SIZE 33554432", "ENHANCEDSTATUSCODES" };
        if (OffersStartTls)
        {
            lines.Add("STARTTLS");
        }

        // Like real submission servers: no login offered before the connection is encrypted.
        if (IsTls && _server.Credentials.Required)
        {
            lines.Add("AUTH " + string.Join(' ', _server.Credentials.Mechanisms));
        }

        lines.Add("HELP");
        var reply = new StringBuilder();
        for (var i = 0; i < lines.Count; i++)
        {
            reply.Append("250").Append(i == lines.Count - 1 ? ' ' : '-').Append(lines[i]).Append("\r\n");
        }

        await WriteAsync(reply.ToString());
    }

    /// <returns>False when the connection must be closed.</returns>
    private async Task<bool> StartTlsAsync()
    {
        if (!OffersStartTls)
        {
            await ReplyAsync(IsTls ? "503 5.5.1 TLS already active" : "502 5.5.1 STARTTLS not supported");
            return true;
        }

        if (_record.Behavior == SmtpBehavior.LongStartTlsRefusal)
        {
            var line = "454-4.7.0 " + new string('r', 590) + "\r\n";
            await WriteAsync(string.Concat(Enumerable.Repeat(line, 99)) + "454 4.7.0 TLS not available\r\n");
            return true;
        }

        var local = _record.LocalAddress;
        if (_record.Behavior == SmtpBehavior.Normal && !_server.HasCertificateFor(local))
        {
            await ReplyAsync("454 4.7.0 TLS not available: no certificate configured");
            return true;
        }

        await ReplyAsync("220 2.0.0 Ready to start TLS");
        switch (_record.Behavior)
        {
            case SmtpBehavior.TlsBrokenClose:
                return false;
            case SmtpBehavior.TlsBrokenGarbage:
                await WriteAsync("this is definitely not a TLS ServerHello\r\n" + new string('*', 512) + "\r\n");
                await Task.Delay(50, _stopping);
                return false;
        }

        // Anything pipelined after STARTTLS must be discarded (RFC 3207, section 4.2).
        _reader.Reset(_stream);
        var ssl = await SmtpTlsHandshake.AuthenticateAsync(_server, _record, _stream, _stopping);
        if (ssl is null)
        {
            return false;
        }

        _stream = ssl;
        _reader.Reset(ssl);
        _helo = null;
        _user = null;
        ResetTransaction();
        return true;
    }

    /// <returns>False when the handshake failed and the connection must be closed.</returns>
    private async Task<bool> ImplicitTlsAsync()
    {
        var ssl = await SmtpTlsHandshake.AuthenticateAsync(_server, _record, _stream, _stopping);
        if (ssl is null)
        {
            return false;
        }

        _stream = ssl;
        _reader.Reset(ssl);
        return true;
    }

    private async Task AuthAsync(string argument)
    {
        if (!_server.Credentials.Required)
        {
            await ReplyAsync("502 5.5.1 AUTH not supported");
        }
        else if (!IsTls)
        {
            await ReplyAsync("538 5.7.11 Encryption required for requested authentication mechanism");
        }
        else if (_helo is null)
        {
            await ReplyAsync("503 5.5.1 Send EHLO first");
        }
        else if (_user is not null)
        {
            await ReplyAsync("503 5.5.1 Already authenticated");
        }
        else if (_mailFrom is not null)
        {
            await ReplyAsync("503 5.5.1 AUTH not permitted during a mail transaction");
        }
        else
        {
            var (attempt, reply) = await SmtpAuthExchange.RunAsync(argument, _server.Credentials, ChallengeAsync);
            if (attempt is not null)
            {
                _record.AddAuthAttempt(attempt);
                if (attempt.Succeeded)
                {
                    _user = attempt.Username;
                }
            }

            await ReplyAsync(reply);
        }
    }

    /// <summary>An AUTH initial response carries the password (base64): the command log keeps the mechanism only.</summary>
    private static string WithoutCredentials(string argument)
    {
        var space = argument.IndexOf(' ', StringComparison.Ordinal);
        return space < 0 ? $"AUTH {argument}" : $"AUTH {argument[..space]} <credentials>";
    }

    private async Task<string> ChallengeAsync(string text)
    {
        await ReplyAsync($"334 {text}");
        return await ReadLineAsync() ?? throw new IOException("Connection closed during AUTH.");
    }

    private async Task MailAsync(string argument)
    {
        if (_helo is null)
        {
            await ReplyAsync("503 5.5.1 Send EHLO/HELO first");
        }
        else if (_server.Credentials.Required && _user is null)
        {
            await ReplyAsync("530 5.7.0 Authentication required");
        }
        else if (_mailFrom is not null)
        {
            await ReplyAsync("503 5.5.1 Nested MAIL command");
        }
        else if (TryParsePath(argument, "FROM:", out var path))
        {
            _mailFrom = path;
            await ReplyAsync("250 2.1.0 Sender OK");
        }
        else
        {
            await ReplyAsync("501 5.5.4 Syntax: MAIL FROM:<address>");
        }
    }

    private async Task RcptAsync(string argument)
    {
        if (_mailFrom is null)
        {
            await ReplyAsync("503 5.5.1 Need MAIL before RCPT");
        }
        else if (_record.Behavior == SmtpBehavior.RejectRecipients)
        {
            await ReplyAsync("550 5.1.1 Recipient unknown");
        }
        else if (_record.Behavior == SmtpBehavior.DeferRecipients)
        {
            await ReplyAsync("451 4.3.0 Try again later");
        }
        else if (TryParsePath(argument, "TO:", out var path) && path.Length > 0)
        {
            if (_record.Behavior == SmtpBehavior.RejectSomeRecipients && path.StartsWith("gone", StringComparison.OrdinalIgnoreCase))
            {
                await ReplyAsync("550 5.1.1 Mailbox does not exist");
                return;
            }

            if (_record.Behavior == SmtpBehavior.RejectSomeRecipients && path.StartsWith("busy", StringComparison.OrdinalIgnoreCase))
            {
                await ReplyAsync("451 4.2.1 Mailbox busy, try again later");
                return;
            }

            _recipients.Add(path);
            await ReplyAsync("250 2.1.5 Recipient OK");
        }
        else
        {
            await ReplyAsync("501 5.5.4 Syntax: RCPT TO:<address>");
        }
    }

    private async Task DataAsync()
    {
        if (_mailFrom is null || _recipients.Count == 0)
        {
            await ReplyAsync("503 5.5.1 Need MAIL and RCPT before DATA");
            return;
        }

        await ReplyAsync("354 End data with <CR><LF>.<CR><LF>");
        var data = new StringBuilder();
        var tooBig = false;
        while (true)
        {
            var line = await ReadLineAsync() ?? throw new IOException("Connection closed during DATA.");
            if (line == ".")
            {
                break;
            }

            if (line.StartsWith('.'))
            {
                line = line[1..];
            }

            if (data.Length + line.Length > MaxMessageChars)
            {
                tooBig = true;
                continue;
            }

            data.Append(line).Append("\r\n");
        }

        if (tooBig)
        {
            ResetTransaction();
            await ReplyAsync("552 5.3.4 Message too big");
            return;
        }

        // A slow relay (content filters, a slow queue disk): the message is committed after the delay, then answered.
        if (_server.DataReplyDelay > TimeSpan.Zero && _server.DataReplyTrickle)
        {
            var until = DateTimeOffset.UtcNow + _server.DataReplyDelay;
            while (DateTimeOffset.UtcNow < until)
            {
                await WriteAsync("250-2.0.0 Still working on it\r\n");
                await Task.Delay(TimeSpan.FromMilliseconds(200), _stopping);
            }
        }
        else if (_server.DataReplyDelay > TimeSpan.Zero)
        {
            await Task.Delay(_server.DataReplyDelay, _stopping);
        }

        var message = new SmtpReceivedMessage(
            DateTimeOffset.UtcNow, _record.LocalAddress, _helo, _mailFrom, _recipients.ToArray(), data.ToString(), IsTls, _user);
        _record.AddMessage(message);
        _server.AddMessage(message);
        ResetTransaction();
        await ReplyAsync("250 2.0.0 OK: queued");
    }

    private void ResetTransaction()
    {
        _mailFrom = null;
        _recipients.Clear();
    }

    private static bool TryParsePath(string argument, string prefix, out string path)
    {
        path = string.Empty;
        if (!argument.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var rest = argument[prefix.Length..].TrimStart();
        if (!rest.StartsWith('<'))
        {
            return false;
        }

        var close = rest.IndexOf('>', StringComparison.Ordinal);
        if (close < 0)
        {
            return false;
        }

        path = rest[1..close];
        return true;
    }

    private async Task<string?> ReadLineAsync()
    {
        using var idle = CancellationTokenSource.CreateLinkedTokenSource(_stopping);
        idle.CancelAfter(_server.IdleTimeout);
        return await _reader.ReadLineAsync(idle.Token);
    }

    private async Task DrainUntilClosedAsync()
    {
        var buffer = new byte[4096];
        while (await _stream.ReadAsync(buffer, _stopping) > 0)
        {
        }
    }

    /// <summary>
    /// Sends continuation lines starting with <paramref name="prefix"/> (or, when null, bytes without any line end)
    /// until the client hangs up or <see cref="SmtpTestServer.FloodLimitBytes"/> is reached.
    /// </summary>
    private async Task FloodAsync(string? prefix, long? bytes = null)
    {
        var chunk = SmtpFlood.Chunk(prefix);
        var end = _record.BytesSent + (bytes ?? _server.FloodLimitBytes);
        while (_record.BytesSent < Math.Min(end, _server.FloodLimitBytes))
        {
            await WriteAsync(chunk);
        }
    }

    private async Task TrickleAsync(string prefix)
    {
        await WriteAsync(prefix);
        while (true)
        {
            await Task.Delay(_server.TrickleInterval, _stopping);
            await WriteAsync("x"u8.ToArray());
        }
    }

    private Task ReplyAsync(string line) => WriteAsync(line + "\r\n");

    private Task WriteAsync(string text) => WriteAsync(Encoding.UTF8.GetBytes(text));

    private async Task WriteAsync(byte[] bytes)
    {
        await _stream.WriteAsync(bytes, _stopping);
        await _stream.FlushAsync(_stopping);
        _record.AddBytesSent(bytes.Length);
    }

    internal static IPAddress Normalize(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
}
