namespace MonitorService.Checks.Parsing;

/// <summary>A <c>tlsrpt-uri</c> of RFC 8460 §3: mailto: or https:, with ',', '!' and ';' percent-encoded.</summary>
internal static class TlsRptUriRules
{
    private static readonly string[] SupportedSchemes = ["mailto", "https"];

    /// <summary>Null when usable; otherwise why not. <paramref name="isSchemeProblem"/> separates "unsupported" from "malformed".</summary>
    public static string? Problem(string uri, out bool isSchemeProblem)
    {
        isSchemeProblem = false;
        int colon = uri.IndexOf(':');
        if (colon <= 0)
        {
            return $"\"{uri}\" is not a URI: it needs a scheme, such as mailto:tlsrpt@example.com";
        }

        var scheme = uri[..colon];
        if (!SupportedSchemes.Contains(scheme, StringComparer.OrdinalIgnoreCase))
        {
            isSchemeProblem = true;
            return $"the rua URI \"{uri}\" uses the scheme \"{scheme}:\"; only mailto: and https: are supported, so reporters skip it";
        }

        if (colon == uri.Length - 1)
        {
            return $"the rua URI \"{uri}\" has nothing after \"{scheme}:\"";
        }

        var bad = uri.Select(c => (char?)c).FirstOrDefault(c => c is '!' || c <= ' ' || c >= (char)0x7F);
        return bad is { } c
            ? $"the rua URI \"{uri}\" contains {AbnfChars.Describe(c)}" + (c == '!' ? ", which must be percent-encoded (%21)" : ", which is not allowed in a URI")
            : null;
    }
}
