namespace MonitorService.Checks.Smtp;

/// <summary>A server sent more than <see cref="SmtpReadLimits"/> allow; the probe stopped reading.</summary>
/// <param name="limit">The limit that was reached, in words ("a reply may be at most 64 KiB").</param>
public sealed class SmtpReadLimitException(string limit) : IOException($"the server sent more than the probe reads: {limit}")
{
    public string Limit { get; } = limit;

    /// <summary>The limit exception anywhere in <paramref name="e"/>'s chain: MailKit and SslStream wrap what our stream throws.</summary>
    public static SmtpReadLimitException? Find(Exception? e)
    {
        for (; e is not null; e = e.InnerException)
        {
            if (e is SmtpReadLimitException limit)
                return limit;
        }
        return null;
    }
}
