namespace MonitorService.Storage.Embedded;

/// <summary>Runs PostgreSQL's binaries, which refuse to run as root: as root through <c>runuser -u postgres</c>, otherwise directly.</summary>
internal static class PostgresProcess
{
    public const string ServerUser = "postgres";

    public static Task<ProcessResult> RunAsync(string binary, IReadOnlyList<string> args, TimeSpan timeout, CancellationToken ct, string? standardInput = null)
        => Environment.IsPrivilegedProcess
            ? ProcessRunner.RunAsync("runuser", ["-u", ServerUser, "--", binary, .. args], timeout, ct, standardInput: standardInput)
            : ProcessRunner.RunAsync(binary, args, timeout, ct, standardInput: standardInput);
}
