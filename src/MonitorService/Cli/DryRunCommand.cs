using System.Text;
using System.Text.Json;
using MonitorService.Checks.Drafts;
using MonitorService.Checks.Model;
using MonitorService.Output;

namespace MonitorService.Cli;

/// <summary>
/// <c>MonitorService check DOMAIN --policy-file DRAFT [--mx HOST[:PREF],...]</c>: checks the domain as it is, then
/// judges the draft against it (<see cref="DraftEvaluator"/>). Nothing is published or stored. The draft is read
/// bounded: one byte past 64 KiB is a usage error, before any network work.
/// </summary>
public static class DryRunCommand
{
    public static async Task<int> RunAsync(CheckArguments arguments, TextReader stdin, TextWriter stdout, CancellationToken cancellationToken)
    {
        if (!DomainName.TryNormalize(arguments.Domains[0], out var domain, out var error))
            throw new UsageException($"Cannot check: {error}.");
        var policy = arguments.PolicyFile is { } path ? await ReadDraftAsync(path, stdin, cancellationToken).ConfigureAwait(false) : null;
        IReadOnlyList<Checks.Dns.MxRecordData>? mx = null;
        if (arguments.DraftMx is { } items && !MxList.TryParse(items, out mx, out var mxError))
            throw new UsageException($"--mx: {mxError}.");
        var draft = new PolicyDraft(policy, mx);
        if (draft.Problem() is { } problem)
            throw new UsageException($"--policy-file: {problem}.");

        var live = await CheckCommand.CreateChecker(arguments.Options).CheckAsync(domain, cancellationToken).ConfigureAwait(false);
        var report = DraftEvaluator.Evaluate(live, draft, TimeProvider.System.GetUtcNow());
        if (arguments.Format == "json")
            await stdout.WriteLineAsync(JsonSerializer.Serialize(report, ReportJson.Options)).ConfigureAwait(false);
        else
            new DraftTextWriter(stdout, Colours.Enabled(stdout)).Write(report);
        return report.HasErrors ? ExitCodes.FindingsWithErrors : ExitCodes.Ok;
    }

    /// <summary>At most 64 KiB and one byte, so that "too large" is known without reading a huge file.</summary>
    private static async Task<string> ReadDraftAsync(string path, TextReader stdin, CancellationToken ct)
    {
        var limit = PolicyDraft.MaxPolicyBytes;
        if (path == "-")
        {
            var buffer = new char[limit + 1];
            var read = await stdin.ReadBlockAsync(buffer.AsMemory(), ct).ConfigureAwait(false);
            var text = new string(buffer, 0, read);
            return read > limit || Encoding.UTF8.GetByteCount(text) > limit ? throw TooLarge("standard input") : text;
        }
        if (!File.Exists(path))
            throw new UsageException($"--policy-file: '{path}' does not exist.");
        await using var stream = File.OpenRead(path);
        var bytes = new byte[limit + 1];
        var count = await stream.ReadAtLeastAsync(bytes, bytes.Length, throwOnEndOfStream: false, ct).ConfigureAwait(false);
        return count > limit ? throw TooLarge($"'{path}'") : Encoding.UTF8.GetString(bytes, 0, count);
    }

    private static UsageException TooLarge(string source) =>
        new($"--policy-file: the draft in {source} is larger than {PolicyDraft.MaxPolicyBytes / 1024} KiB, the most senders read of a policy; a policy is a few lines.");
}
