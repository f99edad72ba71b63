namespace MonitorService.Cli;

public static class ExitCodes
{
    public const int Ok = 0;
    /// <summary>The check ran and found at least one error.</summary>
    public const int FindingsWithErrors = 1;
    /// <summary>An import read everything it was given, and some of it was invalid (kept, with the reason).</summary>
    public const int SomeInputInvalid = 1;
    /// <summary>sysexits.h EX_USAGE.</summary>
    public const int Usage = 64;
    /// <summary>sysexits.h EX_UNAVAILABLE: a service needed (the mail server) cannot be reached; the work is kept for later.</summary>
    public const int Unavailable = 69;
    /// <summary>sysexits.h EX_CONFIG: the configuration (a CA file, a setting) is unusable.</summary>
    public const int Config = 78;
}
