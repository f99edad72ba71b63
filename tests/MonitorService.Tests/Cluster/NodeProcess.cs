using System.Diagnostics;
using System.Net;
using System.Text;

namespace MonitorService.Tests.Cluster;

/// <summary>One <c>MonitorService serve</c> process on loopback, as a node of a cluster, with its output kept.</summary>
public sealed class NodeProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private NodeProcess(Process process, string name, int port)
    {
        _process = process;
        Name = name;
        Port = port;
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public string Name { get; }
    public int Port { get; }
    public bool HasExited => _process.HasExited;
    public int ExitCode => _process.ExitCode;

    public string Output
    {
        get
        {
            lock (_output)
                return _output.ToString();
        }
    }

    public static NodeProcess Start(string name, IReadOnlyDictionary<string, string?> settings)
    {
        var port = SharedPort.Probe(IPAddress.Loopback);
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "MonitorService.dll"));
        start.ArgumentList.Add("serve");
        foreach (var (key, value) in settings)
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        start.Environment["urls"] = $"http://127.0.0.1:{port}";
        start.Environment["Scheduling__InstanceId"] = name;
        return new NodeProcess(Process.Start(start)!, name, port);
    }

    /// <summary>Waits until the node answers /readyz.</summary>
    public async Task WaitReadyAsync(TimeSpan timeout)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
                throw new InvalidOperationException($"node {Name} exited with {_process.ExitCode}:\n{Output}");
            try
            {
                if ((await http.GetAsync($"http://127.0.0.1:{Port}/readyz")).IsSuccessStatusCode)
                    return;
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }
            await Task.Delay(200);
        }
        throw new TimeoutException($"node {Name} was not ready within {timeout}:\n{Output}");
    }

    public async Task<string> MetricsAsync()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        return await http.GetStringAsync($"http://127.0.0.1:{Port}/metrics");
    }

    /// <summary>SIGKILL: the node dies mid-work, as in a crash or an OOM kill.</summary>
    public void Kill() => _process.Kill(entireProcessTree: true);

    /// <summary>SIGTERM, then waits for the node to stop by itself.</summary>
    public async Task<bool> TerminateAsync(TimeSpan timeout)
    {
        if (_process.HasExited)
            return true;
        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            await kill.WaitForExitAsync();
        using var wait = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(wait.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
            return;
        lock (_output)
        {
            if (_output.Length < 2_000_000)
                _output.AppendLine(line);
        }
    }
}
