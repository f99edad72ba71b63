namespace MonitorService.Checks.Dnssec;

/// <summary>What one fetch brought: the message, or why the lookup failed (in the plain resolver's words).</summary>
internal sealed record FetchedAnswer(WireMessage? Message, string? Error)
{
    public static async Task<FetchedAnswer> OfAsync(Task<WireMessage> fetch)
    {
        try
        {
            return new FetchedAnswer(await fetch.ConfigureAwait(false), null);
        }
        catch (DnssecLookupException e)
        {
            return new FetchedAnswer(null, e.Detail);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Whatever a hostile answer provokes costs this lookup (a failed answer), never the check.
            return new FetchedAnswer(null, $"the lookup failed unexpectedly ({e.GetType().Name}: {e.Message})");
        }
    }
}
