using System.Net;
using System.Net.Sockets;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace MonitorService.Testing;

/// <summary>The SMTP test server's AUTH and implicit TLS, spoken to by MailKit.</summary>
public sealed class SmtpAuthFixtureTests : IDisposable
{
    private static readonly IPAddress Ip30 = IPAddress.Parse("127.0.0.30");

    private readonly TestCertificateAuthority _ca = new();

    public void Dispose() => _ca.Dispose();

    [Fact]
    public async Task Auth_is_offered_only_after_starttls_and_mail_needs_it()
    {
        await using var server = await SmtpTestServer.StartAsync(_ca.IssueLeaf("relay.a.test"), Ip30);
        server.Credentials.Add("alice", "wonderland");

        using (var plain = NewClient())
        {
            await plain.ConnectAsync(await ConnectAsync(server.Port), "relay.a.test", server.Port, SecureSocketOptions.None);
            Assert.False(plain.Capabilities.HasFlag(SmtpCapabilities.Authentication));
            // 530 (authentication required), which MailKit reports as ServiceNotAuthenticatedException.
            var refused = await Assert.ThrowsAsync<MailKit.ServiceNotAuthenticatedException>(() => plain.SendAsync(Message()));
            Assert.Contains("Authentication required", refused.Message, StringComparison.Ordinal);
            Assert.Contains(server.Connections[0].Commands, c => c.StartsWith("MAIL FROM:<monitor@a.test>", StringComparison.Ordinal));
        }

        using (var secure = NewClient())
        {
            await secure.ConnectAsync(await ConnectAsync(server.Port), "relay.a.test", server.Port, SecureSocketOptions.StartTls);
            Assert.Equal(["PLAIN", "LOGIN"], secure.AuthenticationMechanisms);
            await secure.AuthenticateAsync("alice", "wonderland");
            await secure.SendAsync(Message());
            await secure.DisconnectAsync(quit: true);
        }

        var received = Assert.Single(server.Messages);
        Assert.Equal("alice", received.AuthenticatedUser);
        var connection = server.Connections[1];
        Assert.Equal("alice", connection.AuthenticatedUser);
        Assert.Contains("AUTH PLAIN <credentials>", connection.CommandsAfterTls);
        Assert.DoesNotContain(connection.Commands, c => c.Contains(Convert.ToBase64String("\0alice\0wonderland"u8), StringComparison.Ordinal));
    }

    [Fact]
    public async Task Auth_before_tls_is_refused_with_538()
    {
        await using var server = await SmtpTestServer.StartAsync(_ca.IssueLeaf("relay.b.test"), Ip30);
        server.Credentials.Add("alice", "wonderland");
        using var socket = await ConnectAsync(server.Port);
        await using var stream = new NetworkStream(socket);
        using var reader = new StreamReader(stream);
        await using var writer = new StreamWriter(stream) { NewLine = "\r\n", AutoFlush = true };

        Assert.StartsWith("220 ", await reader.ReadLineAsync(), StringComparison.Ordinal);
        await writer.WriteLineAsync("EHLO client.test");
        string? line;
        do
        {
            line = await reader.ReadLineAsync();
            Assert.DoesNotContain("AUTH", line, StringComparison.Ordinal);
        }
        while (line is not null && line.StartsWith("250-", StringComparison.Ordinal));
        await writer.WriteLineAsync("AUTH PLAIN " + Convert.ToBase64String("\0alice\0wonderland"u8));
        Assert.StartsWith("538 ", await reader.ReadLineAsync(), StringComparison.Ordinal);
        Assert.Empty(Assert.Single(server.Connections).AuthAttempts);
    }

    [Fact]
    public async Task Implicit_tls_with_login_mechanism_and_a_wrong_password()
    {
        await using var server = await SmtpTestServer.StartAsync(_ca.IssueLeaf("relay.c.test"), Ip30);
        server.ImplicitTls = true;
        server.Credentials.Add("alice", "wonderland");
        server.Credentials.Mechanisms = [SmtpAuthMechanisms.Login];

        using var client = NewClient();
        await client.ConnectAsync(await ConnectAsync(server.Port), "relay.c.test", server.Port, SecureSocketOptions.SslOnConnect);
        Assert.True(client.IsSecure);
        Assert.False(client.Capabilities.HasFlag(SmtpCapabilities.StartTLS));
        await Assert.ThrowsAsync<AuthenticationException>(() => client.AuthenticateAsync("alice", "looking-glass"));
        await client.AuthenticateAsync("alice", "wonderland");
        await client.SendAsync(Message());
        await client.DisconnectAsync(quit: true);

        var connection = Assert.Single(server.Connections);
        Assert.True(connection.ImplicitTls);
        Assert.Equal("relay.c.test", connection.SniHostName);
        Assert.Equal(
            [new SmtpAuthAttempt(SmtpAuthMechanisms.Login, "alice", false), new SmtpAuthAttempt(SmtpAuthMechanisms.Login, "alice", true)],
            connection.AuthAttempts);
        Assert.Equal("alice", Assert.Single(server.Messages).AuthenticatedUser);
    }

    private static MimeMessage Message()
    {
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse("monitor@a.test"));
        message.To.Add(MailboxAddress.Parse("ops@a.test"));
        message.Subject = "alert";
        message.Body = new TextPart("plain") { Text = "body" };
        return message;
    }

    private SmtpClient NewClient() => new()
    {
        Timeout = 5000,
        CheckCertificateRevocation = false,
        ServerCertificateValidationCallback = _ca.CreateValidationCallback(),
    };

    private static async Task<Socket> ConnectAsync(int port)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(new IPEndPoint(Ip30, port));
        return socket;
    }
}
