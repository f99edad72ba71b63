namespace MonitorService.Checks.Parsing;

/// <summary>
/// Records that mention a version tag without beginning with it exactly. Senders drop them silently, so to the
/// domain owner they look like a published record that does nothing: we call them invalid rather than missing.
/// </summary>
internal static class VersionPlacement
{
    public static bool MentionsVersionElsewhere(string record, string versionField) =>
        !record.StartsWith(versionField, StringComparison.Ordinal)
        && record.Contains(versionField, StringComparison.OrdinalIgnoreCase);

    /// <summary>Why <paramref name="record"/> is not taken as a <paramref name="versionField"/> record.</summary>
    public static string Problem(string record, string versionField)
    {
        var start = AbnfChars.TrimWsp(record);
        if (start.StartsWith(versionField, StringComparison.Ordinal))
        {
            return $"the record begins with whitespace; it must begin with exactly \"{versionField}\"";
        }

        if (start.StartsWith(versionField, StringComparison.OrdinalIgnoreCase))
        {
            return $"the record begins with \"{start[..versionField.Length]}\", but \"{versionField}\" is case-sensitive";
        }

        return $"{versionField} must come first, but the record begins with \"{Shorten(record, 20)}\"";
    }

    private static string Shorten(string s, int max) => s.Length <= max ? s : s[..max] + "…";
}
