using System.Globalization;

namespace MonitorService.Checks.Model;

/// <summary>
/// Normalises what a user typed into the form every part of the service keys on: lower case, A-labels (IDN),
/// no trailing dot. Refuses what cannot be a mail domain, with a reason a user can act on.
/// </summary>
public static class DomainName
{
    private static readonly IdnMapping Idn = new() { AllowUnassigned = false, UseStd3AsciiRules = true };

    public static bool TryNormalize(string? input, out string normalized, out string error)
    {
        normalized = "";
        var text = input?.Trim() ?? "";
        if (text.EndsWith('.'))
            text = text[..^1];
        if (text.Length == 0)
        {
            error = "the domain name is empty";
            return false;
        }
        if (text.Contains("://", StringComparison.Ordinal) || text.Contains('/') || text.Contains('@') || text.Contains(' '))
        {
            error = $"\"{Shorten(text)}\" is not a domain name (give only the domain, such as example.com)";
            return false;
        }
        if (System.Net.IPAddress.TryParse(text, out _))
        {
            error = $"\"{text}\" is an IP address, not a domain name";
            return false;
        }
        string ascii;
        try
        {
            ascii = Idn.GetAscii(text).ToLowerInvariant();
        }
        catch (ArgumentException)
        {
            error = $"\"{Shorten(text)}\" is not a valid domain name (only letters, digits and hyphens in labels of 1-63 characters)";
            return false;
        }
        var labels = ascii.Split('.');
        if (labels.Length < 2)
        {
            error = $"\"{ascii}\" has a single label; a mail domain has at least two (such as example.com)";
            return false;
        }
        if (ascii.Length > 253 || labels.Any(l => l.Length is 0 or > 63 || l.StartsWith('-') || l.EndsWith('-')))
        {
            error = $"\"{Shorten(ascii)}\" is not a valid domain name (labels of 1-63 characters, no leading or trailing hyphen, 253 characters in all)";
            return false;
        }
        normalized = ascii;
        error = "";
        return true;
    }

    private static string Shorten(string text) => text.Length <= 80 ? text : text[..80] + "…";
}
