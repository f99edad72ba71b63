namespace MonitorService.Cli;

/// <summary>Dispatches the verbs of the one executable.</summary>
public static class CommandLineApp
{
    public const string Usage = """
        MonitorService - continuous MTA-STS, MX and TLS-RPT monitoring

        Usage: MonitorService <command> [options]

        Commands:
          check DOMAIN...  check domains now and print the reports (see: MonitorService check --help)
          serve            run the service: scheduled checks, drift detection, web host
          migrate          create or update the database schema
          domains ...      add, remove, list, check domains, show their drift events, plan MX changes (see: MonitorService domains help)
          alerts send|list deliver queued alert mail now, show queued and failed mail (see: MonitorService alerts help)
          digest send|preview --team NAME   a team's weekly digest now, or its HTML in a file
          tlsrpt import PATH...   import TLS-RPT reports (.json, .json.gz, .eml, folders) (see: MonitorService tlsrpt help)
          prune            delete history older than Retention:Days now (the service does it daily)
          health [--url U] ask a running node's /healthz (exit 0 when healthy)
          users add|remove EMAIL   create or remove a dashboard user (see: MonitorService users help)
          tokens create    create an API token for a team (see: MonitorService tokens help)
          help             show this text

        Configuration: appsettings.json and environment variables (ConnectionStrings__Monitor, Checks__PolicyPort, ...).
        Without ConnectionStrings__Monitor a private PostgreSQL is started under .data/postgres.
        """;

    public static Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken) =>
        RunAsync(args, Console.In, stdout, stderr, settings: null, cancellationToken);

    /// <param name="settings">Configuration that wins over appsettings.json and the environment (tests use it).</param>
    public static Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, IReadOnlyDictionary<string, string?>? settings, CancellationToken cancellationToken) =>
        RunAsync(args, Console.In, stdout, stderr, settings, cancellationToken);

    /// <param name="stdin">Where <c>users add</c> reads a password from when it is not typed at a prompt, and
    /// <c>check --input -</c> its domain list.</param>
    public static async Task<int> RunAsync(string[] args, TextReader stdin, TextWriter stdout, TextWriter stderr, IReadOnlyDictionary<string, string?>? settings, CancellationToken cancellationToken)
    {
        var context = new CliContext(stdin, stdout, stderr, settings);
        var verb = args.Length == 0 ? "help" : args[0];
        var rest = args.Skip(1).ToList();
        try
        {
            switch (verb)
            {
                case "check" when rest.Contains("--help") || rest.Contains("-h"):
                    await stdout.WriteLineAsync(CheckCommand.Usage).ConfigureAwait(false);
                    return ExitCodes.Ok;
                case "check":
                    return await CheckCommand.RunAsync(rest, stdin, stdout, stderr, cancellationToken).ConfigureAwait(false);
                case "migrate":
                    return await MigrateCommand.RunAsync(context, rest, cancellationToken).ConfigureAwait(false);
                case "domains":
                    return await DomainsCommand.RunAsync(context, rest, cancellationToken).ConfigureAwait(false);
                case "alerts":
                    return await AlertsCommand.RunAsync(context, rest, cancellationToken).ConfigureAwait(false);
                case "digest":
                    return await DigestCommand.RunAsync(context, rest, cancellationToken).ConfigureAwait(false);
                case "tlsrpt":
                    return await TlsRptCommand.RunAsync(context, rest, cancellationToken).ConfigureAwait(false);
                case "prune":
                    return await PruneCommand.RunAsync(context, rest, cancellationToken).ConfigureAwait(false);
                case "health":
                    return await HealthCommand.RunAsync(context, rest, cancellationToken).ConfigureAwait(false);
                case "users":
                    return await UsersCommand.RunAsync(context, rest, cancellationToken).ConfigureAwait(false);
                case "tokens":
                    return await TokensCommand.RunAsync(context, rest, cancellationToken).ConfigureAwait(false);
                case "serve":
                    return await ServeCommand.RunAsync(context, rest, cancellationToken).ConfigureAwait(false);
                case "help" or "--help" or "-h":
                    await stdout.WriteLineAsync(Usage).ConfigureAwait(false);
                    return ExitCodes.Ok;
                default:
                    throw new UsageException($"Unknown command '{verb}'.\n\n{Usage}");
            }
        }
        catch (Exception e) when (e is UsageException or Accounts.AccountRequestException)
        {
            await stderr.WriteLineAsync($"error: {e.Message}").ConfigureAwait(false);
            return ExitCodes.Usage;
        }
        catch (Exception e) when (e is StartupException or Microsoft.Extensions.Options.OptionsValidationException or Storage.Embedded.EmbeddedPostgresException or Npgsql.NpgsqlException)
        {
            await stderr.WriteLineAsync($"error: {e.Message}").ConfigureAwait(false);
            return ExitCodes.Config;
        }
    }
}
