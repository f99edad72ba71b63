namespace MonitorService.Output;

/// <summary>ANSI colours for terminals; none when output is redirected or NO_COLOR is set (no-color.org).</summary>
public static class Colours
{
    public static bool Enabled(TextWriter writer) =>
        ReferenceEquals(writer, Console.Out) && !Console.IsOutputRedirected
        && Environment.GetEnvironmentVariable("NO_COLOR") is null or "" && Environment.GetEnvironmentVariable("TERM") != "dumb";
}
