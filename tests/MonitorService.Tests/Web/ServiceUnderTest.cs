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

    public static async Task<ServiceUnderTest> StartAsync(PostgresFixture postgres, string hint)
    {
        var env = (await CheckEnvironment.StartAsync()).PublishHealthyDomain();
        var settings = MonitorHarness.Settings(env);
        settings["ConnectionStrings:Monitor"] = await postgres.CreateDatabaseAsync(hint);
        settings["Serilog:MinimumLevel:Default"] = "Warning";
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
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exit = await CommandLineApp.RunAsync(args, new StringReader(stdin ?? ""), stdout, stderr, Settings, CancellationToken.None);
        Assert.True(exit == 0, $"{string.Join(' ', args)} exited {exit}: {stderr}");
        return stdout.ToString();
    }

    public Task<string> CliAsync(params string[] args) => CliAsync(args, null);

    public Task AddUserAsync(string email, string team) => CliAsync(["users", "add", email, "--team", team], Password + "\n");

    public async Task<string> CreateTokenAsync(string team) => (await CliAsync("tokens", "create", "--team", team)).Trim();

    public HttpClient Client(string? token = null)
    {
        var client = new HttpClient { BaseAddress = BaseAddress };
        if (token is not null)
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

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
