namespace MonitorService.Cli;

/// <summary>The command line is wrong. Exit status 64 (EX_USAGE), the message on stderr.</summary>
public sealed class UsageException(string message) : Exception(message);
