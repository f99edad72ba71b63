using System.Collections.Concurrent;
using MonitorService.Monitoring;

namespace MonitorService.Tests.Scheduling;

/// <summary>One call of the fake runner: which node, which domain, why, and when it started and ended.</summary>
public sealed record RecordedCheck(string Node, Guid DomainId, CheckTrigger Trigger, DateTimeOffset Started, DateTimeOffset Ended);

/// <summary>Records every check (thread-safe); optionally takes a while, or answers "domain gone" or "retry at".</summary>
public sealed class FakeDomainCheckRunner(string node, CheckLog log) : IDomainCheckRunner
{
    public async Task<MonitoredCheckOutcome> RunAsync(Guid domainId, CheckTrigger trigger, CancellationToken cancellationToken)
    {
        var started = DateTimeOffset.UtcNow;
        log.Running(domainId);
        try
        {
            if (log.Duration > TimeSpan.Zero)
            {
                await Task.Delay(log.Duration, cancellationToken);
            }
        }
        finally
        {
            log.Add(new RecordedCheck(node, domainId, trigger, started, DateTimeOffset.UtcNow));
        }
        return new MonitoredCheckOutcome(domainId, !log.Gone.ContainsKey(domainId), log.RetryAt.TryGetValue(domainId, out var at) ? at : null);
    }
}

/// <summary>Shared by the runners of every test host (node) of a test.</summary>
public sealed class CheckLog
{
    private readonly ConcurrentQueue<RecordedCheck> _checks = new();
    private readonly ConcurrentDictionary<Guid, int> _running = new();
    private int _overlaps;

    public TimeSpan Duration { get; set; }
    public ConcurrentDictionary<Guid, bool> Gone { get; } = new();
    public ConcurrentDictionary<Guid, DateTimeOffset> RetryAt { get; } = new();

    /// <summary>Times a check started while another of the same domain was still running (anywhere).</summary>
    public int Overlaps => Volatile.Read(ref _overlaps);

    public IReadOnlyList<RecordedCheck> Checks => [.. _checks];

    public IReadOnlyList<RecordedCheck> Of(Guid domainId) => [.. _checks.Where(c => c.DomainId == domainId)];

    internal void Running(Guid domainId)
    {
        if (_running.AddOrUpdate(domainId, 1, (_, n) => n + 1) > 1)
        {
            Interlocked.Increment(ref _overlaps);
        }
    }

    internal void Add(RecordedCheck check)
    {
        _running.AddOrUpdate(check.DomainId, 0, (_, n) => n - 1);
        _checks.Enqueue(check);
    }

    public async Task WaitForAsync(Func<CheckLog, bool> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition(this))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Condition not met within {timeout}; checks so far: {string.Join("; ", Checks)}");
            }
            await Task.Delay(50);
        }
    }
}
