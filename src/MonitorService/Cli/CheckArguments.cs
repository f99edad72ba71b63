using MonitorService.Checks;

namespace MonitorService.Cli;

/// <summary>
/// What <c>check</c> was asked to do. One positional domain, no <c>--input</c> and a text or json format is the
/// original single check; anything else is a bulk run (several domains, an input list or JSON Lines).
/// </summary>
/// <param name="PolicyFile">A draft policy to dry-run (a path, or "-" for standard input), with <paramref name="DraftMx"/> or alone.</param>
/// <param name="DraftMx">A hypothetical MX set to dry-run (HOST[:PREF] items), with <paramref name="PolicyFile"/> or alone.</param>
public sealed record CheckArguments(IReadOnlyList<string> Domains, string? InputPath, CheckOptions Options, string Format, int Concurrency,
    string? PolicyFile = null, IReadOnlyList<string>? DraftMx = null)
{
    public const int DefaultConcurrency = 16;
    public const int MaxConcurrency = 256;

    public bool IsBulk => Domains.Count != 1 || InputPath is not null || Format == "jsonl";

    /// <summary>A dry run: a draft policy and/or hypothetical MX set judged against what the domain publishes now.</summary>
    public bool IsDryRun => PolicyFile is not null || DraftMx is not null;

    public static CheckArguments Parse(IReadOnlyList<string> args)
    {
        var options = new CheckOptions();
        var domains = new List<string>();
        string? input = null;
        var format = "text";
        var concurrency = DefaultConcurrency;
        string? policyFile = null;
        List<string>? draftMx = null;
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
                case "--dns-port":
                    options.AuthoritativeDnsPort = reader.IntValue(arg, inline, 1, 65535);
                    break;
                case "--timeout":
                    options.TimeoutSeconds = reader.IntValue(arg, inline, 1, 300);
                    break;
                case "--max-probes-per-mx":
                    // The CLI's Checks:MaxProbesPerMxHost; same bounds as CheckOptions.Validate.
                    options.MaxProbesPerMxHost = reader.IntValue(arg, inline, 1, 100);
                    break;
                case "--allow-private-addresses":
                    ArgumentReader.NoValue(arg, inline);
                    options.AllowPrivateAddresses = true;
                    break;
                case "--no-smtp":
                    ArgumentReader.NoValue(arg, inline);
                    options.SkipSmtp = true;
                    break;
                case "--no-dnssec":
                    ArgumentReader.NoValue(arg, inline);
                    options.DnssecValidation = false;
                    break;
                case "--trust-anchor":
                    options.DnssecTrustAnchorFile = reader.Value(arg, inline);
                    if (!File.Exists(options.DnssecTrustAnchorFile))
                        throw new UsageException($"--trust-anchor: '{options.DnssecTrustAnchorFile}' does not exist.");
                    break;
                case "--format":
                    format = reader.Value(arg, inline);
                    if (format is not ("text" or "json" or "jsonl"))
                        throw new UsageException($"--format must be text or json, or jsonl (one report per line), not '{format}'.");
                    break;
                case "--input":
                    if (input is not null)
                        throw new UsageException("--input may be given once.");
                    input = reader.Value(arg, inline);
                    break;
                case "--concurrency":
                    concurrency = reader.IntValue(arg, inline, 1, MaxConcurrency);
                    break;
                case "--policy-file":
                    if (policyFile is not null)
                        throw new UsageException("--policy-file may be given once.");
                    policyFile = reader.Value(arg, inline);
                    break;
                case "--mx":
                    (draftMx ??= []).Add(reader.Value(arg, inline));
                    break;
                case var option when option.StartsWith('-'):
                    throw new UsageException($"Unknown option '{option}'.");
                default:
                    domains.Add(arg);
                    break;
            }
        }
        if (domains.Count == 0 && input is null)
            throw new UsageException("Name the domain to check, such as: MonitorService check example.com");
        var arguments = new CheckArguments(domains, input, options, format, concurrency, policyFile, draftMx);
        if (arguments.IsDryRun && arguments.IsBulk)
            throw new UsageException("--policy-file and --mx dry-run one domain: name exactly one, without --input, and use --format text or json.");
        return arguments;
    }
}
