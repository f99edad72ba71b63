using System.Collections.Concurrent;
using MimeKit;
using MonitorService.TlsRpt;

namespace MonitorService.Tests.TlsRpt.Mailbox;

/// <summary>
/// Wraps the real intake and records what the mailbox job handed it (origin detail and outcome) and how many messages
/// were in its hands at the same moment; <see cref="Delay"/> holds each message a while, so overlapping readers overlap here.
/// </summary>
public sealed class RecordingIntake(ITlsRptIntake inner) : ITlsRptIntake
{
    private readonly ConcurrentQueue<(string? Detail, TlsRptIntakeResult Result)> _calls = new();
    private int _inFlight;
    private int _maxInFlight;

    public TimeSpan Delay { get; set; } = TimeSpan.Zero;

    public IReadOnlyList<(string? Detail, TlsRptIntakeResult Result)> Calls => [.. _calls];

    public int MaxInFlight => Volatile.Read(ref _maxInFlight);

    public Task<TlsRptIntakeResult> AcceptReportAsync(ReadOnlyMemory<byte> body, TlsRptOrigin origin, CancellationToken cancellationToken)
        => inner.AcceptReportAsync(body, origin, cancellationToken);

    public async Task<TlsRptIntakeResult> AcceptMessageAsync(MimeMessage message, TlsRptOrigin origin, CancellationToken cancellationToken)
    {
        var now = Interlocked.Increment(ref _inFlight);
        int seen;
        while (now > (seen = Volatile.Read(ref _maxInFlight)) && Interlocked.CompareExchange(ref _maxInFlight, now, seen) != seen)
        {
        }
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
            Interlocked.Decrement(ref _inFlight);
        }
    }
}
