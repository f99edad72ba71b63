using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using MonitorService.Testing;

namespace MonitorService.Benchmarks.Bulk;

/// <summary>
/// Node's mailauth as a comparison subject: <c>node/mta-sts-bench.js</c> (policy discovery and fetch with mailauth's
/// <c>getPolicy</c>, MX lookup, <c>validateMx</c> per MX host) in a child process that stays up for the whole section,
/// so that each pass is timed by the script itself, without Node's start-up, and can be interleaved with the other
/// subjects. The script reaches only the loopback servers (see its header); the test CA comes in through
/// NODE_EXTRA_CA_CERTS, so the policy hosts' certificates are verified as on the internet.
/// </summary>
public sealed class MailauthRunner : IAsyncDisposable
{
    private readonly Process _node;
    private readonly StringWriter _stderr = new(CultureInfo.InvariantCulture);

    private MailauthRunner(Process node)
    {
        _node = node;
        node.ErrorDataReceived += (_, e) =>
        {
            lock (_stderr)
                _stderr.WriteLine(e.Data);
        };
        node.BeginErrorReadLine();
    }

    /// <summary>"mailauth 7.1.0 on node v20…", for the rows.</summary>
    public string Version { get; private set; } = "";

    /// <summary>Starts the script, installing mailauth first (npm ci) when its folder has none; null, with the reason, when Node is missing.</summary>
    public static async Task<(MailauthRunner? Runner, string? Skipped)> StartAsync(CheckEnvironment env, string domainFile, int concurrency)
    {
        var folder = NodeFolder();
        if (!Directory.Exists(Path.Combine(folder, "node_modules", "mailauth")))
        {
            Console.Error.WriteLine($"bulk: installing mailauth in {folder} (npm ci)");
            var (npm, npmOutput) = await RunToEndAsync("npm", ["ci", "--no-audit", "--no-fund"], folder);
            if (npm is null)
                return (null, "npm is not installed: mailauth rows skipped (apt-get install nodejs npm)");
            if (npm != 0)
                throw new InvalidOperationException($"npm ci in {folder} exited {npm}: {npmOutput}");
        }
        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = folder,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            Environment = { ["NODE_EXTRA_CA_CERTS"] = env.Options().CaFile },
        };
        foreach (var arg in new[]
                 {
                     "mta-sts-bench.js", "--dns", env.Dns.EndPoint.ToString(), "--policy-port", env.Https.Port.ToString(CultureInfo.InvariantCulture),
                     "--concurrency", concurrency.ToString(CultureInfo.InvariantCulture), "--domains", domainFile,
                 })
            start.ArgumentList.Add(arg);
        Process node;
        try
        {
            node = Process.Start(start)!;
        }
        catch (Win32Exception)
        {
            return (null, "node is not installed: mailauth rows skipped (apt-get install nodejs npm)");
        }
        var runner = new MailauthRunner(node);
        try
        {
            using var ready = await runner.ReadLineAsync();
            var root = ready.RootElement;
            runner.Version = $"mailauth {root.GetProperty("mailauth").GetString()} on node {root.GetProperty("node").GetString()}";
            return (runner, null);
        }
        catch
        {
            await runner.DisposeAsync();
            throw;
        }
    }

    /// <summary>One pass over every domain, timed by the script; the server logs count what it asked for.</summary>
    public async Task<SubjectRun> RunAsync(CheckEnvironment env)
    {
        NetworkWork.Reset(env);
        var cpu = SubjectRun.ProcessCpuNow;
        await _node.StandardInput.WriteLineAsync("run");
        await _node.StandardInput.FlushAsync();
        using var result = await ReadLineAsync();
        cpu = SubjectRun.ProcessCpuNow - cpu;
        var root = result.RootElement;
        var domains = root.GetProperty("domains").GetInt32();
        var ok = root.GetProperty("ok").GetInt32();
        // A pass with no healthy domain means the script could not reach or verify the servers: a bug, not a result.
        if (ok == 0)
            throw new InvalidOperationException($"mailauth found no valid policy: {root.GetProperty("firstError")}");
        return new SubjectRun(domains, ok, TimeSpan.FromSeconds(root.GetProperty("seconds").GetDouble()),
            cpu, TimeSpan.FromMilliseconds(root.GetProperty("cpuMs").GetDouble()), NetworkWork.Read(env),
            root.GetProperty("firstError").ValueKind == JsonValueKind.String ? root.GetProperty("firstError").GetString() : null);
    }

    private async Task<JsonDocument> ReadLineAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        var line = await _node.StandardOutput.ReadLineAsync(timeout.Token);
        if (line is null)
        {
            await _node.WaitForExitAsync(timeout.Token);
            string stderr;
            lock (_stderr)
                stderr = _stderr.ToString();
            throw new InvalidOperationException($"mta-sts-bench.js exited {_node.ExitCode}: {stderr}");
        }
        return JsonDocument.Parse(line);
    }

    /// <summary>The benchmark project's node/ folder, found upwards from the build output (bin/Release/net10.0).</summary>
    private static string NodeFolder()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "node");
            if (File.Exists(Path.Combine(candidate, "mta-sts-bench.js")))
                return candidate;
        }
        throw new InvalidOperationException($"node/mta-sts-bench.js not found above {AppContext.BaseDirectory}");
    }

    /// <returns>The exit code, or null when the program is not installed.</returns>
    private static async Task<(int? Exit, string Output)> RunToEndAsync(string program, string[] args, string folder)
    {
        var start = new ProcessStartInfo(program, args) { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (Win32Exception)
        {
            return (null, "");
        }
        using (process)
        {
            var output = process.StandardOutput.ReadToEndAsync();
            var errors = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(10));
            await process.WaitForExitAsync(timeout.Token);
            return (process.ExitCode, await output + await errors);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_node.HasExited)
        {
            await _node.StandardInput.WriteLineAsync("quit");
            await _node.StandardInput.FlushAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try
            {
                await _node.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                _node.Kill();
            }
        }
        _node.Dispose();
    }
}
