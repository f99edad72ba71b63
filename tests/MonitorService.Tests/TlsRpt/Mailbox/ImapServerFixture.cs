using MonitorService.Testing.Imap;

namespace MonitorService.Tests.TlsRpt.Mailbox;

/// <summary>One Dovecot per test class; each test works in folders of its own, so tests do not see each other's mail.</summary>
public sealed class ImapServerFixture : IAsyncLifetime
{
    private TestImapServer? _server;

    public TestImapServer Server => _server ?? throw new InvalidOperationException("The IMAP server is not started.");

    public async Task InitializeAsync() => _server = await TestImapServer.StartAsync();

    public async Task DisposeAsync()
    {
        if (_server is not null)
            await _server.DisposeAsync();
    }
}
