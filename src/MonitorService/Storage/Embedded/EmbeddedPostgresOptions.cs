namespace MonitorService.Storage.Embedded;

/// <summary>Tuning knobs for <see cref="EmbeddedPostgres"/>. The defaults suit the service.</summary>
public sealed class EmbeddedPostgresOptions
{
    /// <summary>Database created (if missing) and put into <see cref="EmbeddedPostgres.ConnectionString"/>.</summary>
    public string DatabaseName { get; init; } = "monitor";

    /// <summary>
    /// PostgreSQL <c>fsync</c>. Keep it on for real data; tests turn it off for speed
    /// (a crash of the machine may then corrupt the cluster).
    /// </summary>
    public bool Fsync { get; init; } = true;

    /// <summary>TCP port on 127.0.0.1; <c>null</c> (default) picks a free port at every start.</summary>
    public int? Port { get; init; }

    /// <summary>Folder holding initdb, pg_ctl and postgres. <c>null</c>: env MONITOR_POSTGRES_BIN, PATH, then /usr/lib/postgresql/*/bin (newest).</summary>
    public string? BinDirectory { get; init; }

    /// <summary>
    /// When no binaries are found, run <c>apt-get install -y postgresql</c> (root only). On by default — the service's
    /// setting <c>Storage:AutoInstallPostgres</c> defaults to this — because the README promises that a fresh
    /// machine just works. The environment variable MONITOR_POSTGRES_AUTO_INSTALL=1 turns it on even when false.
    /// </summary>
    public bool AllowAptInstall { get; init; } = true;

    /// <summary>
    /// Running as root: when the postgres user cannot traverse the parent folders of the requested data folder
    /// (typical under /root), put the cluster under the postgres user's home instead
    /// (/var/lib/postgresql/monitorservice/NAME-HASH/data, stable per requested path) and log a warning.
    /// When false, such a folder is an error. Folder permissions are never changed.
    /// </summary>
    public bool RelocateWhenUnreachable { get; init; } = true;

    /// <summary>Extra postgresql.conf settings (name → value), written for every start.</summary>
    public IReadOnlyDictionary<string, string> Settings { get; init; } = new Dictionary<string, string>();

    /// <summary>How long to wait for initdb, start-up and readiness.</summary>
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Clock of the start's deadlines and retry delays.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
