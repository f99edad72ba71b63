using System.Diagnostics;

namespace MonitorService.Tests.Storage;

/// <summary>Runs a program (never through a shell), optionally as another OS user via runuser, and captures its output.</summary>
internal static class OsProcess
{
    public static async Task<(int ExitCode, string Output)> RunAsync(string program, IEnumerable<string> args, string? asUser = null)
    {
        var psi = new ProcessStartInfo(asUser is null ? program : "runuser")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = "/", // another user may not be allowed into ours
        };
        if (asUser is not null)
        {
            foreach (var a in new[] { "-u", asUser, "--", program })
                psi.ArgumentList.Add(a);
        }
        foreach (var a in args)
            psi.ArgumentList.Add(a);
        // A password must not reach the attempt by any side door.
        psi.Environment.Remove("PGPASSWORD");
        psi.Environment.Remove("PGPASSFILE");
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, (await stdout + await stderr).Trim());
    }

    /// <summary>PostgreSQL binaries refuse to run as root: as root they run as postgres.</summary>
    public static Task<(int ExitCode, string Output)> RunPostgresBinaryAsync(string program, params string[] args)
        => RunAsync(program, args, Environment.IsPrivilegedProcess ? "postgres" : null);
}
