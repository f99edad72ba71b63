namespace MonitorService.Cli;

/// <summary>
/// <c>MonitorService health [--url URL]</c>: asks a running node's health endpoint; exit 0 when it answers 200. The
/// container health check uses it, so the image needs no curl.
/// </summary>
public static class HealthCommand
{
    public const string DefaultUrl = "http://127.0.0.1:8080/healthz";

    public static async Task<int> RunAsync(CliContext context, IReadOnlyList<string> args, CancellationToken ct)
    {
        var url = DefaultUrl;
        var reader = new ArgumentReader(args);
        while (reader.TryNext(out var arg, out var inline))
        {
            url = arg == "--url" ? reader.Value(arg, inline) : throw new UsageException($"Unexpected argument '{arg}' for health.");
        }
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            throw new UsageException($"--url must be an http(s) URL, not '{url}'.");
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        try
        {
            using var response = await http.GetAsync(uri, ct);
            await context.Stdout.WriteLineAsync($"{(int)response.StatusCode} {response.ReasonPhrase}");
            return response.IsSuccessStatusCode ? ExitCodes.Ok : ExitCodes.FindingsWithErrors;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            await context.Stderr.WriteLineAsync($"error: {uri} did not answer: {e.Message}");
            return ExitCodes.FindingsWithErrors;
        }
    }
}
