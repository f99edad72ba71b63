using System.Diagnostics.Metrics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using MonitorService.Testing.Imap;
using MonitorService.Tests.Infrastructure;
using MonitorService.TlsRpt;
using MonitorService.Hosting;
using MonitorService.TlsRpt.Intake;
using MonitorService.TlsRpt.Mailbox;

namespace MonitorService.Tests.TlsRpt.Mailbox;

/// <summary>
/// The mailbox feature as a node composes it, pointed at the test Dovecot, with folders named after the test so tests
/// sharing a server do not meet. The host is built, not started: tests run the job themselves, one run per call.
/// </summary>
public sealed class MailboxTestHost : IDisposable
{
    private readonly IHost _host;
    private long _passesOk;
    private long _passesUnreachable;
    private long _passesLoginRefused;
    private readonly MeterListener _listener = new();

    private MailboxTestHost(IHost host, LogCapture logs, string folder, string doneFolder, string invalidFolder)
    {
        _host = host;
        Logs = logs;
        Folder = folder;
        DoneFolder = doneFolder;
        InvalidFolder = invalidFolder;
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            // Only this host's meter: other tests in the process count on meters of their own.
            if (instrument.Name == MailboxMetrics.PassesName && ReferenceEquals(instrument.Meter.Scope, host.Services.GetRequiredService<IMeterFactory>()))
                listener.EnableMeasurementEvents(instrument);
        };
        _listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key != "outcome")
                    continue;
                switch (tag.Value as string)
                {
                    case "ok": Interlocked.Add(ref _passesOk, value); break;
                    case "unreachable": Interlocked.Add(ref _passesUnreachable, value); break;
                    case "login_refused": Interlocked.Add(ref _passesLoginRefused, value); break;
                }
            }
        });
        _listener.Start();
    }

    public LogCapture Logs { get; }

    public string Folder { get; }

    public string DoneFolder { get; }

    public string InvalidFolder { get; }

    public IServiceProvider Services => _host.Services;

    public long PassesOk => Interlocked.Read(ref _passesOk);

    public long PassesUnreachable => Interlocked.Read(ref _passesUnreachable);

    public long PassesLoginRefused => Interlocked.Read(ref _passesLoginRefused);

    public static Dictionary<string, string?> Settings(TestImapServer server, string name) => new()
    {
        ["TlsRpt:Imap:Host"] = server.Host,
        ["TlsRpt:Imap:Port"] = server.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["TlsRpt:Imap:Security"] = "None",
        ["TlsRpt:Imap:User"] = server.User,
        ["TlsRpt:Imap:Password"] = server.Password,
        ["TlsRpt:Imap:Folder"] = $"{name}-in",
        ["TlsRpt:Imap:DoneFolder"] = $"{name}-done",
        ["TlsRpt:Imap:InvalidFolder"] = $"{name}-invalid",
        ["TlsRpt:Imap:Idle"] = "false",
        ["TlsRpt:Imap:Timeout"] = "00:00:10",
    };

    /// <summary>
    /// A node with the real intake (TlsRptIntakeService on <paramref name="connectionString"/>, a migrated database), wrapped
    /// in a <see cref="RecordingIntake"/> the test can look at.
    /// </summary>
    /// <param name="name">Names the test's folders: NAME-in, NAME-done, NAME-invalid.</param>
    public static MailboxTestHost Create(TestImapServer server, string name, string connectionString, Action<Dictionary<string, string?>>? change = null)
    {
        var settings = Settings(server, name);
        change?.Invoke(settings);
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        var logs = new LogCapture();
        builder.Logging.ClearProviders().AddProvider(logs).SetMinimumLevel(LogLevel.Debug);
        Compose(builder.Services, connectionString, new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        var host = builder.Build();
        return new MailboxTestHost(host, logs, settings["TlsRpt:Imap:Folder"]!, settings["TlsRpt:Imap:DoneFolder"]!, settings["TlsRpt:Imap:InvalidFolder"]!);
    }

    /// <summary>Storage, the real intake behind a <see cref="RecordingIntake"/>, and the mailbox feature.</summary>
    public static void Compose(IServiceCollection services, string connectionString, IConfiguration configuration, InFlightCounter? shared = null)
    {
        // Registered before AddTlsRptIntake, whose TryAdd then keeps this wrapper as the ITlsRptIntake.
        services.AddSingleton<TlsRptIntakeService>();
        services.AddSingleton(sp => new RecordingIntake(sp.GetRequiredService<TlsRptIntakeService>(), shared));
        services.AddSingleton<ITlsRptIntake>(sp => sp.GetRequiredService<RecordingIntake>());
        services.AddMonitorStorage(connectionString).AddTlsRptIntake(configuration).AddTlsRptMailbox(configuration);
    }

    public RecordingIntake Intake => Services.GetRequiredService<RecordingIntake>();

    /// <summary>One run of the clustered job's body, as the scheduler would start it.</summary>
    public async Task RunJobAsync(CancellationToken cancellationToken = default)
    {
        using var scope = Services.CreateScope();
        await scope.ServiceProvider.GetRequiredService<ReadMailboxJob>().Execute(null!, cancellationToken);
    }

    /// <summary>Log entries that mention <paramref name="text"/>.</summary>
    public IReadOnlyList<string> LogsWith(string text) => Logs.Entries.Where(e => e.Contains(text, StringComparison.Ordinal)).ToList();

    public void Dispose()
    {
        _listener.Dispose();
        _host.Dispose();
    }
}
