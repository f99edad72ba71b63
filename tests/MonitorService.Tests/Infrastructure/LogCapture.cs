using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace MonitorService.Tests.Infrastructure;

/// <summary>
/// Keeps every log entry of a service composition, at every level, as the text a log sink would write: the formatted
/// message, the structured values and the exception with its inner exceptions. For asserting what never may be logged.
/// </summary>
public sealed class LogCapture : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _entries = new();

    public IReadOnlyList<string> Entries => _entries.ToArray();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(LogCapture capture, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var values = state is IEnumerable<KeyValuePair<string, object?>> pairs ? string.Join("; ", pairs.Select(p => $"{p.Key}={p.Value}")) : "";
            capture._entries.Enqueue($"{logLevel} {category}: {formatter(state, exception)} [{values}]{(exception is null ? "" : "\n" + exception)}");
        }
    }
}
