namespace MonitorService.Storage.Embedded;

/// <summary>The embedded PostgreSQL server could not be found, initialised or started. The message says what to do.</summary>
public sealed class EmbeddedPostgresException : Exception
{
    public EmbeddedPostgresException() { }
    public EmbeddedPostgresException(string message) : base(message) { }
    public EmbeddedPostgresException(string message, Exception inner) : base(message, inner) { }
}
