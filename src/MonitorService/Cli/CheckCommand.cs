using MonitorService.Checks;
using MonitorService.Checks.Model;
using MonitorService.Output;

namespace MonitorService.Cli;

/// <summary><c>MonitorService check DOMAIN [options]</c>: one check, printed for people (text) or scripts (json).</summary>
public static class CheckCommand
{
    public const string Usage = """
        Usage: MonitorService check DOMAIN [options]

        Checks one domain the way an enforcing sender would: the _mta-sts TXT record, the policy at
        https://mta-sts.DOMAIN/.well-known/mta-sts.txt, every MX host (coverage, STARTTLS, certificate) and TLS-RPT.

        Options:
          --resolver IP[:PORT]       DNS server to ask instead of the system's (repeatable)
          --ca-file PEM              extra trusted root certificates (system roots stay trusted)
          --policy-port N            HTTPS port of the policy host (default 443)
          --smtp-port N              SMTP port of the MX hosts (default 25)
          --allow-private-addresses  permit connecting to loopback/private/link-local addresses
          --no-smtp                  skip the STARTTLS probes
          --format text|json         output format (default text)
          --timeout SECONDS          time limit of each network operation (default 10)

        Exit status: 0 no error found, 1 at least one error found, 64 usage error.
        """;

    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter stdout, CancellationToken cancellationToken)
    {
        var (domain, options, format) = Parse(args);
        DomainChecker checker;
        try
        {
            checker = DomainChecker.Create(options, TimeProvider.System);
        }
        catch (InvalidOperationException e)
        {
            throw new UsageException(e.Message);
        }
        var report = await checker.CheckAsync(domain, cancellationToken).ConfigureAwait(false);
        if (format == "json")
            await stdout.WriteLineAsync(ReportJson.Serialize(report)).ConfigureAwait(false);
        else
            new TextReportWriter(stdout, Colours.Enabled(stdout)).Write(report);
        return report.HasErrors ? ExitCodes.FindingsWithErrors : ExitCodes.Ok;
    }

    public static (string Domain, CheckOptions Options, string Format) Parse(IReadOnlyList<string> args)
    {
        var options = new CheckOptions();
        string? domain = null;
        var format = "text";
        var reader = new ArgumentReader(args);
        while (reader.TryNext(out var arg, out var inline))
        {
            switch (arg)
            {
                case "--resolver":
                    var resolver = reader.Value(arg, inline);
                    if (!CheckOptions.TryParseEndPoint(resolver, out _))
                        throw new UsageException($"--resolver must be IP or IP:PORT ([IPv6]:PORT), not '{resolver}'.");
                    options.Resolvers.Add(resolver);
                    break;
                case "--ca-file":
                    options.CaFile = reader.Value(arg, inline);
                    if (!File.Exists(options.CaFile))
                        throw new UsageException($"--ca-file: '{options.CaFile}' does not exist.");
                    break;
                case "--policy-port":
                    options.PolicyPort = reader.IntValue(arg, inline, 1, 65535);
                    break;
                case "--smtp-port":
                    options.SmtpPort = reader.IntValue(arg, inline, 1, 65535);
                    break;
                case "--timeout":
                    options.TimeoutSeconds = reader.IntValue(arg, inline, 1, 300);
                    break;
                case "--allow-private-addresses":
                    ArgumentReader.NoValue(arg, inline);
                    options.AllowPrivateAddresses = true;
                    break;
                case "--no-smtp":
                    ArgumentReader.NoValue(arg, inline);
                    options.SkipSmtp = true;
                    break;
                case "--format":
                    format = reader.Value(arg, inline);
                    if (format is not ("text" or "json"))
                        throw new UsageException($"--format must be text or json, not '{format}'.");
                    break;
                case var option when option.StartsWith('-'):
                    throw new UsageException($"Unknown option '{option}'.");
                default:
                    if (domain is not null)
                        throw new UsageException($"Only one domain per check ('{domain}' and '{arg}' given).");
                    domain = arg;
                    break;
            }
        }
        if (domain is null)
            throw new UsageException("Name the domain to check, such as: MonitorService check example.com");
        if (!DomainName.TryNormalize(domain, out var normalized, out var error))
            throw new UsageException($"Cannot check: {error}.");
        return (normalized, options, format);
    }
}
