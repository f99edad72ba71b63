namespace MonitorService.Checks.Parsing;

/// <summary>Matches MX host names against policy <c>mx</c> patterns (RFC 8461 §4.1).</summary>
public static class MxPatternMatcher
{
    public static bool IsValidPattern(string pattern) => MxPatternSyntax.Problem(pattern) is null;

    /// <summary>
    /// Whether <paramref name="host"/> is covered by <paramref name="pattern"/>: case-insensitive, a trailing dot ignored
    /// on both sides, and a wildcard covers exactly one extra label (<c>*.example.com</c> covers <c>mail.example.com</c>
    /// but neither <c>example.com</c> nor <c>a.b.example.com</c>). Invalid patterns never match.
    /// </summary>
    public static bool Matches(string pattern, string host)
    {
        if (!IsValidPattern(pattern))
        {
            return false;
        }

        var normalizedPattern = NormalizeHost(pattern);
        var normalizedHost = NormalizeHost(host);
        if (normalizedHost.Length == 0)
        {
            return false;
        }

        if (!normalizedPattern.StartsWith("*.", StringComparison.Ordinal))
        {
            return normalizedPattern == normalizedHost;
        }

        var suffix = normalizedPattern[1..]; // ".example.com"
        if (!normalizedHost.EndsWith(suffix, StringComparison.Ordinal))
        {
            return false;
        }

        var leftLabel = normalizedHost[..^suffix.Length];
        return leftLabel.Length > 0 && !leftLabel.Contains('.');
    }

    /// <summary>The first valid pattern that covers <paramref name="host"/>, as written, or null.</summary>
    public static string? FindCoveringPattern(IEnumerable<string> patterns, string host) =>
        patterns.FirstOrDefault(p => Matches(p, host));

    /// <summary>Lower case without a trailing dot, the form in which host names are compared.</summary>
    public static string NormalizeHost(string host)
    {
        var lower = host.ToLowerInvariant();
        return lower.EndsWith('.') ? lower[..^1] : lower;
    }
}
