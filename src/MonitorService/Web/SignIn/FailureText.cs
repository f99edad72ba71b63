namespace MonitorService.Web.SignIn;

/// <summary>
/// An exception chain as one log line: each message up to its first line break (the identity libraries put whole
/// inner exceptions, stack traces included, into their messages). Forged callbacks are cheap to send; the log stays
/// readable.
/// </summary>
public static class FailureText
{
    private const int MaxDepth = 6;

    public static string Of(Exception? failure)
    {
        var reasons = new List<string>();
        for (var e = failure; e is not null && reasons.Count < MaxDepth; e = e.InnerException)
        {
            var message = e.Message;
            var cut = message.IndexOfAny(['\r', '\n']);
            var embedded = message.IndexOf(" Exception: '", StringComparison.Ordinal);
            if (embedded >= 0 && (cut < 0 || embedded < cut))
                cut = embedded;
            reasons.Add(cut < 0 ? message : message[..cut]);
        }
        return reasons.Count == 0 ? "unknown" : string.Join(" <- ", reasons);
    }
}
