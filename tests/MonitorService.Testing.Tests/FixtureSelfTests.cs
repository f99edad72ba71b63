using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace MonitorService.Testing;

public sealed class FixtureSelfTests : IDisposable
{
    private static readonly IPAddress Ip20 = IPAddress.Parse("127.0.0.20");
    private static readonly IPAddress Ip21 = IPAddress.Parse("127.0.0.21");
    private static readonly IPAddress Ip30 = IPAddress.Parse("127.0.0.30");
    private static readonly IPAddress Ip31 = IPAddress.Parse("127.0.0.31");
    private static readonly TimeSpan Short = TimeSpan.FromSeconds(5);

    private readonly TestCertificateAuthority _ca = new();

    public void Dispose() => _ca.Dispose();

    [Fact]
    public async Task Https_serves_policy_with_certificate_chosen_by_sni_and_records_the_request()
    {
        await using var server = await PolicyHttpsServer.StartAsync(_ca.IssueWrongHostLeaf(), Ip20, Ip21);
        server.SetCertificate("mta-sts.a.test", _ca.IssueLeaf("mta-sts.a.test"));
        var policy = PolicyResponse.PolicyText("enforce", 604800, "mx1.a.test");
        server.SetResponse("mta-sts.a.test", PolicyResponse.Ok(policy));

        using var client = LoopbackHttpClient.Create(Ip21, _ca, Short);
        using var response = await client.GetAsync(server.PolicyUri("mta-sts.a.test"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(policy, await response.Content.ReadAsStringAsync());
        var request = Assert.Single(server.Requests);
        Assert.Equal(Ip21, request.LocalAddress);
        Assert.Equal("mta-sts.a.test", request.SniHostName);
        Assert.Equal("mta-sts.a.test", request.HostHeader);
        Assert.Equal(PolicyHttpsServer.PolicyPath, request.Path);
        Assert.True(server.WasContacted(Ip21));
        Assert.False(server.WasContacted(Ip20));
        Assert.Equal("mta-sts.a.test", Assert.Single(server.Connections).SniHostName);
    }

    [Fact]
    public async Task Https_default_certificate_for_unknown_sni_is_rejected_by_client()
    {
        await using var server = await PolicyHttpsServer.StartAsync(_ca.IssueWrongHostLeaf(), Ip20);
        server.DefaultResponse = PolicyResponse.Policy("testing", 86400, "*.b.test");

        using var client = LoopbackHttpClient.Create(Ip20, _ca, Short);
        var error = await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync(server.PolicyUri("mta-sts.b.test")));

        Assert.IsType<System.Security.Authentication.AuthenticationException>(error.InnerException);
        Assert.Empty(server.Requests);
        Assert.Equal("mta-sts.b.test", Assert.Single(server.Connections).SniHostName);
    }

    [Fact]
    public async Task Https_redirect_is_returned_without_following_and_responses_change_after_start()
    {
        await using var server = await PolicyHttpsServer.StartAsync(_ca.IssueLeaf("mta-sts.c.test"), Ip20, Ip21);
        server.SetResponse(Ip20, PolicyResponse.Redirect("https://elsewhere.test/policy"));
        server.SetResponse(Ip21, PolicyResponse.RedirectLoop);
        using var client20 = LoopbackHttpClient.Create(Ip20, _ca, Short);
        using var client21 = LoopbackHttpClient.Create(Ip21, _ca, Short);
        var uri = server.PolicyUri("mta-sts.c.test");

        using (var redirect = await client20.GetAsync(uri))
        {
            Assert.Equal(HttpStatusCode.Found, redirect.StatusCode);
            Assert.Equal("https://elsewhere.test/policy", redirect.Headers.Location?.OriginalString);
        }

        using (var loop = await client21.GetAsync(uri))
        {
            Assert.Equal(HttpStatusCode.Found, loop.StatusCode);
            Assert.Equal(uri, loop.Headers.Location);
        }

        server.SetResponse(Ip20, PolicyResponse.Ok("version: STSv1\r\n", contentType: null));
        using var changed = await client20.GetAsync(uri);
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        Assert.Null(changed.Content.Headers.ContentType);

        Assert.Equal(3, server.Requests.Count);
    }

    [Fact]
    public async Task Https_hang_times_out_and_trickle_sends_headers_only()
    {
        await using var server = await PolicyHttpsServer.StartAsync(_ca.IssueLeaf("mta-sts.d.test"), Ip20, Ip21);
        server.SetResponse(Ip20, PolicyResponse.Hang);
        server.SetResponse(Ip21, PolicyResponse.Trickle(TimeSpan.FromMilliseconds(200)));

        using var hangClient = LoopbackHttpClient.Create(Ip20, _ca, TimeSpan.FromSeconds(2));
        await Assert.ThrowsAnyAsync<TaskCanceledException>(() => hangClient.GetAsync(server.PolicyUri("mta-sts.d.test")));
        Assert.Single(server.RequestsTo(Ip20));

        using var trickleClient = LoopbackHttpClient.Create(Ip21, _ca, Short);
        using var response = await trickleClient.GetAsync(server.PolicyUri("mta-sts.d.test"), HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await using var body = await response.Content.ReadAsStreamAsync();
        using var readFor = new CancellationTokenSource(TimeSpan.FromMilliseconds(700));
        var buffer = new byte[1024];
        var received = 0;
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            while (true)
            {
                received += await body.ReadAsync(buffer, readFor.Token);
            }
        });
        Assert.InRange(received, 1, 10);
    }

    [Fact]
    public async Task Https_huge_body_is_streamed()
    {
        await using var server = await PolicyHttpsServer.StartAsync(_ca.IssueLeaf("mta-sts.e.test"), Ip20);
        server.DefaultResponse = PolicyResponse.Huge();

        using var client = LoopbackHttpClient.Create(Ip20, _ca, TimeSpan.FromSeconds(20));
        using var response = await client.GetAsync(server.PolicyUri("mta-sts.e.test"), HttpCompletionOption.ResponseHeadersRead);
        Assert.Null(response.Content.Headers.ContentLength);
        await using var body = await response.Content.ReadAsStreamAsync();
        var total = 0L;
        var buffer = new byte[81920];
        int read;
        while ((read = await body.ReadAsync(buffer)) > 0)
        {
            total += read;
        }

        Assert.Equal(10L * 1024 * 1024, total);
    }

    [Fact]
    public async Task Https_intermediate_chain_is_sent_and_trusted()
    {
        using var ca = new TestCertificateAuthority(withIntermediate: true);
        await using var server = await PolicyHttpsServer.StartAsync(ca.IssueLeaf("mta-sts.f.test"), Ip20);
        server.ChainCertificates = ca.ChainCertificates;
        server.DefaultResponse = PolicyResponse.Policy("none", 60, "mx.f.test");

        using var client = LoopbackHttpClient.Create(Ip20, ca, Short);
        using var response = await client.GetAsync(server.PolicyUri("mta-sts.f.test"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public void Authority_issues_expired_cn_only_and_self_signed_certificates()
    {
        var valid = _ca.IssueLeaf("mx.g.test", "*.g.test");
        Assert.True(valid.HasPrivateKey);
        Assert.True(_ca.IsTrusted(valid));
        Assert.True(valid.MatchesHostname("x.g.test"));

        Assert.False(_ca.IsTrusted(_ca.IssueExpiredLeaf("mx.g.test")));
        Assert.True(_ca.IssueLeafExpiringIn(TimeSpan.FromDays(5), "mx.g.test").NotAfter < DateTime.Now.AddDays(6));

        var cnOnly = _ca.IssueCommonNameOnlyLeaf("mx.g.test");
        Assert.Null(cnOnly.Extensions["2.5.29.17"]);
        Assert.Equal("mx.g.test", cnOnly.GetNameInfo(X509NameType.SimpleName, false));

        Assert.False(_ca.IsTrusted(TestCertificateAuthority.CreateSelfSigned("mx.g.test")));

        var path = Path.Combine(Path.GetTempPath(), $"test-ca-{Guid.NewGuid():N}.pem");
        try
        {
            _ca.WriteRootPemFile(path);
            var loaded = X509CertificateLoader.LoadCertificateFromFile(path);
            Assert.Equal(_ca.RootCertificate.Thumbprint, loaded.Thumbprint);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task Smtp_mailkit_sends_over_starttls_and_server_records_it()
    {
        await using var server = await SmtpTestServer.StartAsync(_ca.IssueWrongHostLeaf(), Ip30, Ip31);
        server.SetCertificate("mx1.h.test", _ca.IssueLeaf("mx1.h.test"));

        using var client = NewMailKitClient();
        await client.ConnectAsync(await ConnectAsync(Ip31, server.Port), "mx1.h.test", server.Port, SecureSocketOptions.StartTls);
        Assert.True(client.IsSecure);
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse("monitor@h.test"));
        message.To.Add(MailboxAddress.Parse("admin@h.test"));
        message.Subject = "MTA-STS alert";
        message.Body = new TextPart("plain") { Text = "line one\r\n.leading dot\r\n" };
        await client.SendAsync(message);
        await client.DisconnectAsync(quit: true);

        var received = Assert.Single(server.Messages);
        Assert.Equal("monitor@h.test", received.MailFrom);
        Assert.Equal(["admin@h.test"], received.Recipients);
        Assert.Contains("Subject: MTA-STS alert", received.Data, StringComparison.Ordinal);
        Assert.Contains("\r\n.leading dot\r\n", received.Data, StringComparison.Ordinal);
        Assert.True(received.OverTls);

        var connection = Assert.Single(server.Connections);
        Assert.Equal(Ip31, connection.LocalAddress);
        Assert.True(connection.TlsNegotiated);
        Assert.Null(connection.TlsError);
        Assert.Equal("EHLO", connection.CommandsAfterTls[0].Split(' ')[0]);
        Assert.Equal("mx1.h.test", connection.SniHostName);
        Assert.Contains("STARTTLS", connection.Commands);
        Assert.Contains("QUIT", connection.Commands);
        Assert.False(server.WasContacted(Ip30));
    }

    [Fact]
    public async Task Smtp_no_starttls_is_not_advertised()
    {
        await using var server = await SmtpTestServer.StartAsync(_ca.IssueLeaf("mx.i.test"), Ip30);
        server.SetBehavior(Ip30, SmtpBehavior.NoStartTls);

        using var client = NewMailKitClient();
        await client.ConnectAsync(await ConnectAsync(Ip30, server.Port), "mx.i.test", server.Port, SecureSocketOptions.None);
        Assert.False(client.Capabilities.HasFlag(SmtpCapabilities.StartTLS));
        await client.DisconnectAsync(quit: true);

        Assert.False(Assert.Single(server.Connections).TlsNegotiated);
    }

    [Theory]
    [InlineData(SmtpBehavior.TlsBrokenClose)]
    [InlineData(SmtpBehavior.TlsBrokenGarbage)]
    [InlineData(SmtpBehavior.CloseImmediately)]
    [InlineData(SmtpBehavior.NoGreeting)]
    public async Task Smtp_hostile_behaviours_make_starttls_fail(SmtpBehavior behavior)
    {
        await using var server = await SmtpTestServer.StartAsync(_ca.IssueLeaf("mx.j.test"), Ip30);
        server.DefaultBehavior = behavior;

        using var client = NewMailKitClient();
        client.Timeout = 1000;
        var socket = await ConnectAsync(Ip30, server.Port);
        await Assert.ThrowsAnyAsync<Exception>(() => client.ConnectAsync(socket, "mx.j.test", server.Port, SecureSocketOptions.StartTls));
        Assert.False(client.IsConnected);
        Assert.Equal(behavior, Assert.Single(server.Connections).Behavior);
    }

    [Fact]
    public async Task Smtp_client_rejecting_certificate_is_recorded()
    {
        await using var server = await SmtpTestServer.StartAsync(TestCertificateAuthority.CreateSelfSigned("mx.k.test"), Ip30);

        using var client = NewMailKitClient();
        await Assert.ThrowsAsync<SslHandshakeException>(async () =>
            await client.ConnectAsync(await ConnectAsync(Ip30, server.Port), "mx.k.test", server.Port, SecureSocketOptions.StartTls));

        var connection = Assert.Single(server.Connections);
        await connection.Closed.WaitAsync(Short);
        Assert.True(connection.TlsHandshakeStarted);
        Assert.Empty(connection.CommandsAfterTls);
        Assert.Equal("mx.k.test", connection.SniHostName);
    }

    [Fact]
    public async Task Https_raw_tcp_connection_is_counted_without_any_request()
    {
        await using var server = await PolicyHttpsServer.StartAsync(_ca.IssueLeaf("mta-sts.l.test"), Ip20, Ip21);
        using (var socket = await ConnectAsync(Ip21, server.Port))
        {
            await WaitUntilAsync(() => server.WasContacted(Ip21));
        }

        var connection = Assert.Single(server.Connections);
        Assert.Equal(Ip21, connection.LocalAddress);
        Assert.False(connection.TlsHandshakeStarted);
        Assert.Empty(server.Requests);
        Assert.Equal(0, server.ConnectionCount(Ip20));
    }

    [Fact]
    public async Task Fixtures_refuse_non_loopback_addresses()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => PolicyHttpsServer.StartAsync(_ca.IssueLeaf("x.test"), "192.0.2.1"));
        await Assert.ThrowsAsync<ArgumentException>(() => SmtpTestServer.StartAsync(null, "::1"));
    }

    [Fact]
    public async Task Smtp_handles_many_concurrent_sessions_and_dispose_is_prompt()
    {
        var server = await SmtpTestServer.StartAsync(_ca.IssueLeaf("mx.m.test"), Ip30, Ip31);
        server.SetBehavior(Ip31, SmtpBehavior.NoGreeting);
        var hanging = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => ConnectAsync(Ip31, server.Port)));
        await Task.WhenAll(Enumerable.Range(0, 20).Select(async i =>
        {
            using var client = NewMailKitClient();
            await client.ConnectAsync(await ConnectAsync(Ip30, server.Port), "mx.m.test", server.Port, SecureSocketOptions.StartTls);
            var message = new MimeMessage();
            message.From.Add(MailboxAddress.Parse("a@m.test"));
            message.To.Add(MailboxAddress.Parse($"r{i}@m.test"));
            message.Body = new TextPart("plain") { Text = $"message {i}" };
            await client.SendAsync(message);
            await client.DisconnectAsync(quit: true);
        }));

        Assert.Equal(20, (await server.WaitForMessagesAsync(20, Short)).Count);
        await WaitUntilAsync(() => server.ConnectionsTo(Ip31).Count == 20);
        var started = DateTime.UtcNow;
        await server.DisposeAsync();
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(2));
        Assert.All(server.Connections, c => Assert.True(c.IsClosed));
        foreach (var socket in hanging)
        {
            socket.Dispose();
        }
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + Short;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "Condition not met in time.");
            await Task.Delay(10);
        }
    }

    private SmtpClient NewMailKitClient() => new()
    {
        Timeout = 5000,
        CheckCertificateRevocation = false,
        ServerCertificateValidationCallback = _ca.CreateValidationCallback(),
    };

    private static async Task<Socket> ConnectAsync(IPAddress address, int port)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(new IPEndPoint(address, port));
        return socket;
    }
}
