using MonitorService.Checks;
using MonitorService.Checks.Model;
using MonitorService.Cli.Bulk;
using MonitorService.Output;

namespace MonitorService.Cli;

/// <summary>
/// <c>MonitorService check DOMAIN... [options]</c>: one check, printed for people (text) or scripts (json), or a
/// bulk run over several domains or an input list through one engine.
/// </summary>
public static class CheckCommand
{
    public const string Usage = """
        Usage: MonitorService check DOMAIN [options]
               MonitorService check DOMAIN DOMAIN... [options]
               MonitorService check --input FILE|- [--concurrency N] [options]
               MonitorService check DOMAIN --policy-file DRAFT|- [--mx HOST[:PREF],...] [options]   dry run

        Checks one domain the way an enforcing sender would: the _mta-sts TXT record, the policy at
        https://mta-sts.DOMAIN/.well-known/mta-sts.txt, every MX host (coverage, STARTTLS, certificate) and TLS-RPT.
        Several domains are checked in one process with one engine, so the probe limit per MX address is shared.

        Options:
          --resolver IP[:PORT]       DNS server to ask instead of the system's (repeatable)
          --ca-file PEM              extra trusted root certificates (system roots stay trusted)
          --policy-port N            HTTPS port of the policy host (default 443)
          --smtp-port N              SMTP port of the MX hosts (default 25)
          --dns-port N               port the domain's authoritative name servers are asked on (default 53)
          --allow-private-addresses  permit connecting to loopback/private/link-local addresses
          --no-smtp                  skip the STARTTLS probes
          --no-dnssec                do not validate DNSSEC (answers are reported as not validated)
          --trust-anchor FILE        DS or DNSKEY lines to trust instead of the IANA root keys
          --format text|json|jsonl   output format (default text); jsonl: one report per line
          --timeout SECONDS          time limit of each network operation (default 10)
          --input FILE|-             domains to check, one per line ('-': standard input; '#' comments);
                                     at most 100,000 lines and 1 MiB
          --concurrency N            checks at once in a bulk run, 1-256 (default 16)
          --max-probes-per-mx N      STARTTLS probes at once per MX address, whole run, 1-100 (default 4)
          --policy-file DRAFT|-      dry run: judge this draft policy (at most 64 KiB) against what DOMAIN publishes
          --mx HOST[:PREF],...       dry run: judge this MX set instead of the live one (preferences default to 10, 20, ...)

        Dry run: checks DOMAIN as usual, then judges the draft policy and/or MX set by the same rules (syntax, coverage,
        wildcards), says whether a new id is needed and what senders holding the current policy would do. Nothing is
        published or stored. Exit status 1 when the draft (or the MX set) has an error.

        Several domains: reports in input order; text adds a summary table, json is an array, jsonl one line each.
        An entry that is not a domain name is reported in its place with status "invalid".

        Exit status: 0 no error found, 1 at least one error found, 64 usage error or an invalid entry
        (several domains: the worst of all).
        """;

    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextReader stdin, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        var arguments = CheckArguments.Parse(args);
        if (arguments.IsDryRun)
            return await DryRunCommand.RunAsync(arguments, stdin, stdout, cancellationToken).ConfigureAwait(false);
        if (!arguments.IsBulk)
            return await RunSingleAsync(arguments, stdout, cancellationToken).ConfigureAwait(false);
        var inputs = arguments.Domains.Select((d, i) => new CheckInput($"argument {i + 1}", d)).ToList();
        if (arguments.InputPath is not null)
            inputs.AddRange(await DomainListReader.ReadAsync(arguments.InputPath, stdin, cancellationToken).ConfigureAwait(false));
        return await RunBulkAsync(arguments, inputs, stdout, stderr, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The original one-domain check: a malformed name is a usage error, the report printed as before.</summary>
    private static async Task<int> RunSingleAsync(CheckArguments arguments, TextWriter stdout, CancellationToken cancellationToken)
    {
        if (!DomainName.TryNormalize(arguments.Domains[0], out var domain, out var error))
            throw new UsageException($"Cannot check: {error}.");
        var checker = CreateChecker(arguments.Options);
        var report = await checker.CheckAsync(domain, cancellationToken).ConfigureAwait(false);
        if (arguments.Format == "json")
            await stdout.WriteLineAsync(ReportJson.Serialize(report)).ConfigureAwait(false);
        else
            new TextReportWriter(stdout, Colours.Enabled(stdout)).Write(report);
        return report.HasErrors ? ExitCodes.FindingsWithErrors : ExitCodes.Ok;
    }

    private static async Task<int> RunBulkAsync(CheckArguments arguments, IReadOnlyList<CheckInput> inputs, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        IBulkReportWriter writer = arguments.Format switch
        {
            "json" => new JsonBulkWriter(stdout, lines: false),
            "jsonl" => new JsonBulkWriter(stdout, lines: true),
            _ => new TextBulkWriter(stdout, Colours.Enabled(stdout)),
        };
        var worst = ExitCodes.Ok;
        var invalid = 0;
        // One engine for the whole run: see BulkCheckRunner for why the shared probe limit depends on it.
        var runner = new BulkCheckRunner(CreateChecker(arguments.Options), arguments.Concurrency);
        await runner.RunAsync(inputs, async result =>
        {
            worst = Math.Max(worst, result.ExitCode);
            invalid += result.Report is null ? 1 : 0;
            await writer.WriteAsync(result).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
        await writer.FinishAsync().ConfigureAwait(false);
        if (invalid > 0)
            await stderr.WriteLineAsync($"error: {invalid} of {inputs.Count} entries are not domain names and were not checked (status \"invalid\" in the output).").ConfigureAwait(false);
        return worst;
    }

    internal static DomainChecker CreateChecker(CheckOptions options)
    {
        try
        {
            return DomainChecker.Create(options, TimeProvider.System);
        }
        catch (InvalidOperationException e)
        {
            throw new UsageException(e.Message);
        }
    }
}
