using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace MonitorService.Tests.Infrastructure;

/// <summary>A minimal ILogger writing to xunit's test output (or any sink).</summary>
public sealed class TestLogger(Action<string> write, string category = "test") : ILogger
{
    public TestLogger(ITestOutputHelper output, string category = "test") : this(output.WriteLine, category) { }

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Debug;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        try
        {
            write($"{DateTime.Now:HH:mm:ss.fff} {logLevel,-11} {category}: {formatter(state, exception)}{(exception is null ? "" : Environment.NewLine + exception)}");
        }
        catch (InvalidOperationException)
        {
            // the test owning the output helper has finished
        }
    }
}
