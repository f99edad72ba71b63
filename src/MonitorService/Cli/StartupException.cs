namespace MonitorService.Cli;

/// <summary>The service cannot start as configured (exit status 78, EX_CONFIG); the message says what to do.</summary>
public sealed class StartupException(string message) : Exception(message);
