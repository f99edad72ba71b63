using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using MonitorService.Monitoring;
using MonitorService.Scheduling;
using MonitorService.Testing.Imap;
using MonitorService.Tests.Infrastructure;
using MonitorService.Tests.Scheduling;
using MonitorService.TlsRpt;
using MonitorService.TlsRpt.Mailbox;
using Npgsql;
using Quartz;

namespace MonitorService.Tests.TlsRpt.Mailbox;

/// <summary>
/// Two nodes (two clustered schedulers on one PostgreSQL) with the mailbox job firing every second while each run takes
/// longer than that: the runs never overlap, each message is handed to the intake once, and every report is stored.
/// </summary>
[Trait("Category", "Slow")]
[Collection(PostgresCollection.Name)]
public sealed class MailboxClusterTests(PostgresFixture postgres)
{
    private const int Messages = 12;

    [Fact]
    public async Task Two_nodes_never_read_the_mailbox_at_the_same_time()
    {
        await using var server = await TestImapServer.StartAsync();
        var cs = await MailboxDatabase.CreateAsync(postgres, "mailbox_cluster", "example.test");
        var reports = Enumerable.Range(1, Messages).Select(i => TlsRptMessages.Report("example.test", $"report-cluster-{i}")).ToList();
        foreach (var report in reports)
            await server.AppendAsync(report, "cluster-in");

        var settings = MailboxTestHost.Settings(server, "cluster");
        // A run reads 4 messages at 300 ms each: longer than the 1-second interval, so the trigger fires again while
        // a run is still going, on this node or the other.
        settings["TlsRpt:Imap:PollInterval"] = "00:00:01";
        settings["TlsRpt:Imap:MaxMessagesPerPass"] = "4";
        var logs = new RunLog();
        var inFlight = new InFlightCounter();
        using var a = await StartNodeAsync("node-a", cs, settings, logs, inFlight);
        using var b = await StartNodeAsync("node-b", cs, settings, logs, inFlight);
        List<string> runs;
        IJobDetail? job;
        try
        {
            var scheduler = await a.Services.GetRequiredService<ISchedulerFactory>().GetScheduler();
            Assert.True((await scheduler.GetMetadata()).JobStoreClustered);
            job = await scheduler.GetJobDetail(ReadMailboxJob.Key);

            var deadline = DateTime.UtcNow.AddSeconds(120);
            while ((await MailboxDatabase.ReportsAsync(cs)).Count < Messages && DateTime.UtcNow < deadline)
                await Task.Delay(250);
            // A few more firings with nothing left to read: overlapping runs would still show below.
            await Task.Delay(TimeSpan.FromSeconds(3));
            // Taken before the nodes stop: what happens to a run cut short by its node's shutdown is not this test's subject.
            runs = [.. logs.Entries];
        }
        finally
        {
            await Task.WhenAll(a.StopAsync(), b.StopAsync());
            NpgsqlConnection.ClearAllPools();
        }

        Assert.Equal(Messages, (await MailboxDatabase.ReportsAsync(cs)).Count);
        Assert.Equal(1, inFlight.Max);
        var calls = a.Services.GetRequiredService<RecordingIntake>().Calls.Concat(b.Services.GetRequiredService<RecordingIntake>().Calls).ToList();
        Assert.Equal(reports.Select(r => r.MessageId).Order(), calls.Select(c => c.Detail).Order());
        Assert.All(calls, c => Assert.Equal(TlsRptIntakeOutcome.Stored, c.Result.Outcome));
        Assert.Empty(await server.ListAsync("cluster-in"));
        Assert.Equal(Messages, (await server.ListAsync("cluster-done")).Count);
        // Every run's start and end, from both nodes, in the order they happened: strictly one after the other.
        Assert.True(runs.Count >= 6, $"only {runs.Count / 2} runs");
        for (var i = 0; i < runs.Count; i++)
            Assert.True(runs[i].StartsWith(i % 2 == 0 ? "start" : "end", StringComparison.Ordinal), $"run {i / 2} overlapped another: {string.Join(", ", runs)}");
        Assert.True(job?.ConcurrentExecutionDisallowed, "the job is stored as one that never runs twice at once");
    }

    private static async Task<IHost> StartNodeAsync(string node, string cs, Dictionary<string, string?> settings, RunLog logs, InFlightCounter inFlight)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.ClearProviders().AddProvider(new RunLog.Provider(logs, node)).SetMinimumLevel(LogLevel.Debug).AddFilter("Quartz", LogLevel.Warning);
        builder.Services.Configure<HostOptions>(h => h.ShutdownTimeout = TimeSpan.FromSeconds(20));
        builder.Services.AddSingleton<IDomainScheduleSource>(new FakeDomainScheduleSource());
        builder.Services.AddScoped<IDomainCheckRunner>(_ => new FakeDomainCheckRunner(node, new CheckLog()));
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        MailboxTestHost.Compose(builder.Services, cs, configuration, inFlight);
        builder.Services.AddMonitorScheduling(cs, new MonitorService.Scheduling.SchedulingOptions
        {
            InstanceId = node,
            MaxConcurrentChecks = 4,
            CheckinInterval = TimeSpan.FromSeconds(2),
            MisfireThreshold = TimeSpan.FromSeconds(5),
        });
        var host = builder.Build();
        host.Services.GetRequiredService<RecordingIntake>().Delay = TimeSpan.FromMilliseconds(300);
        await host.StartAsync();
        return host;
    }

    /// <summary>The job's start and end lines from every node, in the order they were written, with the node's name.</summary>
    private sealed class RunLog
    {
        private readonly System.Collections.Concurrent.ConcurrentQueue<string> _entries = new();

        public IEnumerable<string> Entries => _entries;

        public sealed class Provider(RunLog log, string node) : ILoggerProvider
        {
            public ILogger CreateLogger(string categoryName) => new Logger(log, node, categoryName);

            public void Dispose()
            {
            }
        }

        private sealed class Logger(RunLog log, string node, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                if (!category.EndsWith(nameof(ReadMailboxJob), StringComparison.Ordinal))
                    return;
                var text = formatter(state, exception);
                if (text.StartsWith("Reading the TLS-RPT mailbox", StringComparison.Ordinal))
                    log._entries.Enqueue($"start {node}");
                else if (text.StartsWith("Done reading", StringComparison.Ordinal))
                    log._entries.Enqueue($"end {node}");
            }
        }
    }
}
