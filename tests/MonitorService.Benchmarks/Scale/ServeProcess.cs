using System.Net;
using System.Net.Sockets;
using MonitorService.Cli;

namespace MonitorService.Benchmarks.Scale;

/// <summary>The real <c>MonitorService serve</c> in this process on a loopback port, as the web tests start it.</summary>
public sealed class ServeProcess : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly StringWriter _output = new();
    private Task<int>? _serve;

    private ServeProcess(Dictionary<string, string?> settings, Uri baseAddress)
    {
        Settings = settings;
        BaseAddress = baseAddress;
    }

    public Dictionary<string, string?> Settings { get; }
    public Uri BaseAddress { get; }

    public static async Task<ServeProcess> StartAsync(Dictionary<string, string?> settings)
    {
        var service = new ServeProcess(settings, new Uri($"http://127.0.0.1:{FreePort()}"));
        service._serve = Task.Run(() => CommandLineApp.RunAsync(["serve", "--urls", service.BaseAddress.ToString().TrimEnd('/')],
            TextReader.Null, service._output, service._output, settings, service._stop.Token));
        using var client = new HttpClient { BaseAddress = service.BaseAddress };
        for (var i = 0; i < 600; i++)
        {
            if (service._serve.IsCompleted)
                throw new InvalidOperationException($"serve exited {await service._serve}: {service._output}");
            try
            {
                if ((await client.GetAsync(new Uri("/readyz", UriKind.Relative))).StatusCode == HttpStatusCode.OK)
                    return service;
            }
            catch (HttpRequestException)
            {
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"serve did not become ready: {service._output}");
    }

    /// <summary>Runs a CLI verb (users, tokens) against the same settings; returns its standard output.</summary>
    public async Task<string> CliAsync(string[] args, string stdin = "")
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exit = await CommandLineApp.RunAsync(args, new StringReader(stdin), stdout, stderr, Settings, CancellationToken.None);
        return exit == 0 ? stdout.ToString() : throw new InvalidOperationException($"{string.Join(' ', args)} exited {exit}: {stderr}");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_serve is not null)
            await _serve;
        _stop.Dispose();
    }
}
