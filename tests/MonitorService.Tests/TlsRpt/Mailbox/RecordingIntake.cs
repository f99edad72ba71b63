using System.Collections.Concurrent;
using MimeKit;
using MonitorService.TlsRpt;

namespace MonitorService.Tests.TlsRpt.Mailbox;

/// <summary>
/// Wraps the real intake and records what the mailbox job handed it (origin detail and outcome) and how many messages
/// were in its hands at the same moment; <see cref="Delay"/> holds each message a while, so overlapping readers overlap here.
/// </summary>
/// Nodes of one test may share an <see cref="InFlight"/> counter, so the test sees overlap across the cluster.
public sealed class RecordingIntake(ITlsRptIntake inner, InFlightCounter? shared = null) : ITlsRptIntake
{
    private readonly ConcurrentQueue<(string? Detail, TlsRptIntakeResult Result)> _calls = new();

    public TimeSpan Delay { get; set; } = TimeSpan.Zero;

    public IReadOnlyList<(string? Detail, TlsRptIntakeResult Result)> Calls => [.. _calls];

    public InFlightCounter InFlight { get; } = shared ?? new InFlightCounter();

    public int MaxInFlight => InFlight.Max;

    public Task<TlsRptIntakeResult> AcceptReportAsync(ReadOnlyMemory<byte> body, TlsRptOrigin origin, CancellationToken cancellationToken)
        => inner.AcceptReportAsync(body, origin, cancellationToken);

    public async Task<TlsRptIntakeResult> AcceptMessageAsync(MimeMessage message, TlsRptOrigin origin, CancellationToken cancellationToken)
    {
        InFlight.Enter();
        try
        {
            if (Delay > TimeSpan.Zero)
                await Task.Delay(Delay, cancellationToken);
            var result = await inner.AcceptMessageAsync(message, origin, cancellationToken);
            _calls.Enqueue((origin.Detail, result));
            return result;
        }
        finally
        {
            InFlight.Leave();
        }
    }
}

/// <summary>How many messages are in an intake's hands now, and the most ever at once.</summary>
public sealed class InFlightCounter
{
    private int _now;
    private int _max;

    public int Max => Volatile.Read(ref _max);

    public void Enter()
    {
        var now = Interlocked.Increment(ref _now);
        int seen;
        while (now > (seen = Volatile.Read(ref _max)) && Interlocked.CompareExchange(ref _max, now, seen) != seen)
        {
        }
    }

    public void Leave() => Interlocked.Decrement(ref _now);
}
