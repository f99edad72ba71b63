namespace MonitorService.Cli;

/// <summary>Dispatches the verbs of the one executable.</summary>
public static class CommandLineApp
{
    public const string Usage = """
        MonitorService - continuous MTA-STS, MX and TLS-RPT monitoring

        Usage: MonitorService <command> [options]

        Commands:
          check DOMAIN     check one domain now and print the report (see: MonitorService check --help)
          help             show this text
        """;

    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
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
                    return await CheckCommand.RunAsync(rest, stdout, cancellationToken).ConfigureAwait(false);
                case "help" or "--help" or "-h":
                    await stdout.WriteLineAsync(Usage).ConfigureAwait(false);
                    return ExitCodes.Ok;
                default:
                    throw new UsageException($"Unknown command '{verb}'.\n\n{Usage}");
            }
        }
        catch (UsageException e)
        {
            await stderr.WriteLineAsync($"error: {e.Message}").ConfigureAwait(false);
            return ExitCodes.Usage;
        }
    }
}
