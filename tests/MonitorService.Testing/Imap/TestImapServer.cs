using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Search;
using MailKit.Security;
using MimeKit;

namespace MonitorService.Testing.Imap;

/// <summary>
/// A real IMAP server for tests: Debian's Dovecot (package dovecot-imapd), started on 127.0.0.1 at a free port as an
/// unprivileged user (nobody when the tests run as root) with a configuration of its own in a temporary folder, and one
/// account (<see cref="User"/>, <see cref="Password"/>). Stopped and deleted on dispose. <see cref="StopAsync"/> and
/// <see cref="StartAsync()"/> take it down and up again on the same port with the same mail (a server outage).
/// Helpers APPEND messages and read what a folder holds, through MailKit like any client.
/// </summary>
public sealed class TestImapServer : IAsyncDisposable
{
    public const string DovecotBinary = "/usr/sbin/dovecot";
    public const string InstallCommand = "apt-get update && apt-get install -y dovecot-imapd";

    private const int NobodyUid = 65534;
    private const int NogroupGid = 65534;

    private readonly string _directory;
    private readonly string _configPath;
    private readonly bool _runAsRoot;

    private TestImapServer(string directory, string configPath, bool runAsRoot, int port, int? tlsPort)
    {
        _directory = directory;
        _configPath = configPath;
        _runAsRoot = runAsRoot;
        Port = port;
        TlsPort = tlsPort;
    }

    public string Host => "127.0.0.1";

    /// <summary>Plain IMAP; STARTTLS is offered on it when the server has a certificate.</summary>
    public int Port { get; }

    /// <summary>Implicit TLS (IMAPS), only when started with a certificate.</summary>
    public int? TlsPort { get; }

    public string User => "reports";

    public string Password { get; } = Convert.ToHexString(RandomNumberGenerator.GetBytes(12));

    /// <summary>Dovecot's own log (logins, errors): worth printing when a test fails.</summary>
    public string LogText => File.Exists(LogPath) ? File.ReadAllText(LogPath) : "";

    private string LogPath => Path.Combine(_directory, "dovecot.log");

    private string PidPath => Path.Combine(_directory, "run", "master.pid");

    /// <param name="certificate">With a certificate (and its key) the server offers STARTTLS on <see cref="Port"/> and implicit TLS on <see cref="TlsPort"/>.</param>
    /// <param name="capabilities">Replaces the capabilities Dovecot announces after login (e.g. to hide MOVE or IDLE from a client).</param>
    public static async Task<TestImapServer> StartAsync(X509Certificate2? certificate = null, string? capabilities = null)
    {
        if (!File.Exists(DovecotBinary))
            throw new InvalidOperationException($"The IMAP tests need Dovecot ({DovecotBinary} is missing). Install it with: {InstallCommand}");

        var runAsRoot = Environment.IsPrivilegedProcess;
        var (uid, gid) = runAsRoot ? (NobodyUid, NogroupGid) : (await IdAsync("-u"), await IdAsync("-g"));
        var directory = Directory.CreateTempSubdirectory("monitor-tests-imap-").FullName;
        foreach (var sub in new[] { "run", "state", "mail" })
            Directory.CreateDirectory(Path.Combine(directory, sub));
        var port = FreePort();
        var tlsPort = certificate is null ? (int?)null : FreePort();
        var config = DovecotConfig.Write(directory, port, tlsPort, certificate, uid, gid, runAsRoot, capabilities);
        var server = new TestImapServer(directory, config, runAsRoot, port, tlsPort);
        await File.WriteAllTextAsync(Path.Combine(directory, "users"), $"{server.User}:{{PLAIN}}{server.Password}\n");
        if (runAsRoot)
            await RunAsync("chown", "-R", $"{uid}:{gid}", directory);
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        try
        {
            await server.StartAsync();
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
        return server;
    }

    /// <summary>Starts Dovecot (it daemonises) and waits for its "ready" greeting.</summary>
    public async Task StartAsync()
    {
        if (_runAsRoot)
            await RunAsync("runuser", "-u", "nobody", "--", DovecotBinary, "-c", _configPath);
        else
            await RunAsync(DovecotBinary, "-c", _configPath);
        await WaitReadyAsync(TimeSpan.FromSeconds(30));
    }

    /// <summary>Stops Dovecot and waits until nothing listens on its port any more; the mail stays.</summary>
    public async Task StopAsync()
    {
        if (!File.Exists(PidPath))
            return;
        var pid = int.Parse((await File.ReadAllTextAsync(PidPath)).Trim(), System.Globalization.CultureInfo.InvariantCulture);
        await RunAsync("kill", "-TERM", pid.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (DateTime.UtcNow < deadline && (IsRunning(pid) || await AcceptsAsync()))
            await Task.Delay(50);
        if (IsRunning(pid))
            await RunAsync("kill", "-KILL", pid.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>Stores <paramref name="message"/> in <paramref name="folder"/> (created when missing); returns its UID.</summary>
    public async Task<UniqueId> AppendAsync(MimeMessage message, string folder = "INBOX", MessageFlags flags = MessageFlags.None)
    {
        using var client = await ConnectAsync();
        var target = await OpenOrCreateAsync(client, folder);
        var uid = await target.AppendAsync(message, flags) ?? throw new InvalidOperationException("Dovecot returned no UID for APPEND (UIDPLUS).");
        await client.DisconnectAsync(true);
        return uid;
    }

    /// <summary>Creates <paramref name="folder"/> (empty) when missing.</summary>
    public async Task CreateFolderAsync(string folder)
    {
        using var client = await ConnectAsync();
        await OpenOrCreateAsync(client, folder);
        await client.DisconnectAsync(true);
    }

    /// <summary>The names of every folder of the account.</summary>
    public async Task<IReadOnlyList<string>> ListFoldersAsync()
    {
        using var client = await ConnectAsync();
        var folders = await client.GetFolder(client.PersonalNamespaces[0]).GetSubfoldersAsync(subscribedOnly: false);
        var inbox = client.Inbox.FullName;
        await client.DisconnectAsync(true);
        return [inbox, .. folders.Select(f => f.FullName).Where(n => n != inbox)];
    }

    /// <summary>What <paramref name="folder"/> holds now (empty when it does not exist), in UID order.</summary>
    public async Task<IReadOnlyList<StoredImapMessage>> ListAsync(string folder = "INBOX")
    {
        using var client = await ConnectAsync();
        IMailFolder target;
        try
        {
            target = await client.GetFolderAsync(folder);
        }
        catch (FolderNotFoundException)
        {
            return [];
        }
        await target.OpenAsync(FolderAccess.ReadOnly);
        var summaries = await target.FetchAsync(0, -1, MessageSummaryItems.UniqueId | MessageSummaryItems.Envelope | MessageSummaryItems.Flags | MessageSummaryItems.Size);
        await client.DisconnectAsync(true);
        return summaries
            .OrderBy(s => s.UniqueId.Id)
            .Select(s => new StoredImapMessage(s.UniqueId, s.Envelope?.MessageId, s.Envelope?.Subject, s.Flags ?? MessageFlags.None,
                s.Keywords.ToHashSet(StringComparer.OrdinalIgnoreCase), s.Size ?? 0))
            .ToList();
    }

    /// <summary>A logged-in client on the plain port (for helpers and for tests that look at the server directly).</summary>
    public async Task<ImapClient> ConnectAsync()
    {
        var client = new ImapClient { Timeout = 30_000 };
        await client.ConnectAsync(Host, Port, SecureSocketOptions.None);
        await client.AuthenticateAsync(User, Password);
        return client;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopAsync();
        }
        finally
        {
            try
            {
                Directory.Delete(_directory, recursive: true);
            }
            catch (IOException)
            {
                // A straggling Dovecot process may still write its log; the temp folder is cleaned up by the OS then.
            }
        }
    }

    private static async Task<IMailFolder> OpenOrCreateAsync(ImapClient client, string name)
    {
        IMailFolder? folder;
        try
        {
            folder = await client.GetFolderAsync(name);
        }
        catch (FolderNotFoundException)
        {
            folder = await client.GetFolder(client.PersonalNamespaces[0]).CreateAsync(name, true);
        }
        if (folder is null)
            throw new InvalidOperationException($"Dovecot did not create the folder {name}.");
        await folder.OpenAsync(FolderAccess.ReadWrite);
        return folder;
    }

    private async Task WaitReadyAsync(TimeSpan limit)
    {
        var deadline = DateTime.UtcNow + limit;
        while (true)
        {
            // Dovecot answers "Waiting for authentication process" while starting; only "ready" means a login will work.
            if (await GreetingAsync() is { } greeting && greeting.Contains("ready", StringComparison.OrdinalIgnoreCase))
                return;
            if (DateTime.UtcNow > deadline)
                throw new InvalidOperationException($"Dovecot did not get ready on {Host}:{Port} within {limit}. Its log:\n{LogText}");
            await Task.Delay(50);
        }
    }

    private async Task<string?> GreetingAsync()
    {
        try
        {
            using var tcp = new TcpClient();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await tcp.ConnectAsync(IPAddress.Loopback, Port, timeout.Token);
            using var reader = new StreamReader(tcp.GetStream(), Encoding.ASCII);
            var text = new StringBuilder();
            while (await reader.ReadLineAsync(timeout.Token) is { } line)
            {
                text.AppendLine(line);
                if (!line.Contains("Waiting for authentication", StringComparison.OrdinalIgnoreCase))
                    break;
            }
            return text.ToString();
        }
        catch (Exception ex) when (ex is SocketException or IOException or OperationCanceledException)
        {
            return null;
        }
    }

    private async Task<bool> AcceptsAsync()
    {
        try
        {
            using var tcp = new TcpClient();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(1));
            await tcp.ConnectAsync(IPAddress.Loopback, Port, timeout.Token);
            return true;
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException)
        {
            return false;
        }
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task<int> IdAsync(string flag) => int.Parse((await RunAsync("id", flag)).Trim(), System.Globalization.CultureInfo.InvariantCulture);

    private static async Task<string> RunAsync(string file, params string[] arguments)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {file}");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} exited with {process.ExitCode}: {await error}");
        return await output;
    }
}

/// <summary>One message as the server holds it.</summary>
public sealed record StoredImapMessage(UniqueId Uid, string? MessageId, string? Subject, MessageFlags Flags, IReadOnlySet<string> Keywords, uint Size);
