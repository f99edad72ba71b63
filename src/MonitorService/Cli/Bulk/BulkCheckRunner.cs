using MonitorService.Checks;
using MonitorService.Checks.Model;

namespace MonitorService.Cli.Bulk;

/// <summary>
/// Checks a list of entries with at most <c>concurrency</c> checks at once over one engine, and hands the results
/// to <c>emit</c> in input order.
/// </summary>
/// <remarks>
/// One <see cref="IDomainChecker"/> for the whole run on purpose: <see cref="DomainChecker"/> holds its per-MX-address
/// probe limit (<see cref="CheckOptions.MaxProbesPerMxHost"/>, a KeyedConcurrencyLimiter created in its constructor)
/// as an instance field that every CheckAsync call acquires from, so 500 domains hosted at one provider share that
/// provider's few probe slots instead of opening 500 connections.
/// Input order costs a reorder buffer: results that finish early wait for the ones before them. The buffer is bounded
/// (<see cref="WindowPerCheck"/> × concurrency entries started but not yet emitted), so memory stays small for any list;
/// a slow domain can hold back the start of later ones once the window is full, never their correctness.
/// </remarks>
public sealed class BulkCheckRunner(IDomainChecker checker, int concurrency)
{
    public const int WindowPerCheck = 4;

    public async Task RunAsync(IReadOnlyList<CheckInput> inputs, Func<BulkResult, Task> emit, CancellationToken ct)
    {
        using var slots = new SemaphoreSlim(concurrency, concurrency);
        var window = concurrency * WindowPerCheck;
        var pending = new Queue<Task<BulkResult>>();
        try
        {
            foreach (var input in inputs)
            {
                if (pending.Count >= window)
                    await emit(await pending.Dequeue().ConfigureAwait(false)).ConfigureAwait(false);
                pending.Enqueue(CheckOneAsync(input, slots, ct));
            }
            while (pending.Count > 0)
                await emit(await pending.Dequeue().ConfigureAwait(false)).ConfigureAwait(false);
        }
        finally
        {
            // On cancellation or a failing writer, let started checks end before the semaphore is disposed.
            await Task.WhenAll(pending).ContinueWith(_ => { }, TaskScheduler.Default).ConfigureAwait(false);
        }
    }

    private async Task<BulkResult> CheckOneAsync(CheckInput input, SemaphoreSlim slots, CancellationToken ct)
    {
        if (!DomainName.TryNormalize(input.Text, out var domain, out var error))
            return new BulkResult(input, null, error);
        await slots.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            return new BulkResult(input, await checker.CheckAsync(domain, ct).ConfigureAwait(false), null);
        }
        finally
        {
            slots.Release();
        }
    }
}
