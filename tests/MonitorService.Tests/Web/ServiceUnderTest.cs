using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using MonitorService.Cli;
using MonitorService.Tests.Infrastructure;
using MonitorService.Tests.Monitoring;

namespace MonitorService.Tests.Web;

/// <summary>
/// The real service (<c>MonitorService serve</c>) on a loopback port, on a fresh migrated database, checking domains
/// served by a <see cref="CheckEnvironment"/>; users and tokens are created through the CLI verbs, as an operator would.
/// </summary>
public sealed class ServiceUnderTest : IAsyncDisposable
{
    public const string Password = "correct horse battery staple";

    private readonly CancellationTokenSource _stop = new();
    private Task<int>? _serve;
    private readonly StringWriter _output = new();

    private ServiceUnderTest(CheckEnvironment env, Dictionary<string, string?> settings, Uri baseAddress)
    {
        Env = env;
        Settings = settings;
        BaseAddress = baseAddress;
    }

    public CheckEnvironment Env { get; }
    public Dictionary<string, string?> Settings { get; }
    public Uri BaseAddress { get; }
    public string ConnectionString => Settings["ConnectionStrings:Monitor"]!;

    public static async Task<ServiceUnderTest> StartAsync(PostgresFixture postgres, string hint, IReadOnlyDictionary<string, string?>? extraSettings = null)
    {
        var env = (await CheckEnvironment.StartAsync()).PublishHealthyDomain();
        var settings = MonitorHarness.Settings(env);
        settings["ConnectionStrings:Monitor"] = await postgres.CreateDatabaseAsync(hint);
        settings["Serilog:MinimumLevel:Default"] = "Warning";
        foreach (var (key, value) in extraSettings ?? new Dictionary<string, string?>())
            settings[key] = value;
        var port = SharedPort.Probe(IPAddress.Loopback);
        var service = new ServiceUnderTest(env, settings, new Uri($"http://127.0.0.1:{port}"));
        await service.CliAsync("migrate");
        service._serve = Task.Run(() => CommandLineApp.RunAsync(["serve", "--urls", service.BaseAddress.ToString().TrimEnd('/')], TextReader.Null, service._output, service._output, settings, service._stop.Token));
        await service.WaitUntilReadyAsync();
        return service;
    }

    /// <summary>Runs a CLI verb against the same database; fails the test on a non-zero exit.</summary>
    public async Task<string> CliAsync(string[] args, string? stdin = null)
    {
        var (exit, stdout, stderr) = await RunCliAsync(args, stdin);
        Assert.True(exit == 0, $"{string.Join(' ', args)} exited {exit}: {stderr}");
        return stdout;
    }

    public Task<string> CliAsync(params string[] args) => CliAsync(args, null);

    /// <summary>Runs a CLI verb against the same database and returns what it did, whatever its exit status.</summary>
    public async Task<(int Exit, string Stdout, string Stderr)> RunCliAsync(string[] args, string? stdin = null)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exit = await CommandLineApp.RunAsync(args, new StringReader(stdin ?? ""), stdout, stderr, Settings, CancellationToken.None);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    public Task AddUserAsync(string email, string team, bool admin = false) =>
        CliAsync(admin ? ["users", "add", email, "--team", team, "--admin"] : ["users", "add", email, "--team", team], Password + "\n");

    public async Task<string> CreateTokenAsync(string team) => (await CliAsync("tokens", "create", "--team", team)).Trim();

    /// <summary>An API client; <paramref name="from"/> is the loopback address it connects from (another client, as the service sees it).</summary>
    public HttpClient Client(string? token = null, IPAddress? from = null)
    {
        var client = new HttpClient(LoopbackHttp.Handler(from)) { BaseAddress = BaseAddress };
        if (token is not null)
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>A cookie-keeping client for the dashboard, connecting from <paramref name="from"/> (127.0.0.1 by default).</summary>
    public DashboardBrowser Browser(IPAddress? from = null) => new(BaseAddress, from);

    private async Task WaitUntilReadyAsync()
    {
        using var client = Client();
        for (var i = 0; i < 200; i++)
        {
            if (_serve!.IsCompleted)
                throw new InvalidOperationException($"serve exited {await _serve}: {_output}");
            try
            {
                if ((await client.GetAsync(new Uri("/readyz", UriKind.Relative))).StatusCode == HttpStatusCode.OK)
                    return;
            }
            catch (HttpRequestException)
            {
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"The service did not become ready: {_output}");
    }


    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_serve is not null)
            await _serve;
        _stop.Dispose();
        await Env.DisposeAsync();
    }
}
