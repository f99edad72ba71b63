namespace MonitorService.Checks.Parsing;

/// <summary>
/// Extension fields of RFC 8461 §3.1 and RFC 8460 §3: unknown but well-formed fields are ignored,
/// a malformed one makes the whole record invalid.
/// </summary>
internal static class ExtensionFieldRules
{
    /// <summary>What is wrong with the field, or null when it is a well-formed extension.</summary>
    public static string? Problem(RecordField field)
    {
        if (!AbnfChars.IsExtensionName(field.Name))
        {
            return $"field name \"{field.Name}\" is not valid: names are 1-32 letters, digits, '_', '-' or '.', starting with a letter or digit";
        }

        if (field.Value.Length == 0)
        {
            return $"field \"{field.Name}\" has an empty value";
        }

        var bad = AbnfChars.FirstInvalidExtensionValueChar(field.Value);
        return bad is { } c
            ? $"field \"{field.Name}\" has the value \"{field.Value}\", which contains {AbnfChars.Describe(c)}, not allowed in a field value"
            : null;
    }

    /// <summary>
    /// A hint for a required field that is missing while a field differing only in case exists: field names are
    /// case-sensitive (<c>%s</c> in the ABNF), so <c>ID=1</c> is an unknown extension, not the id.
    /// </summary>
    public static string CaseVariantHint(IEnumerable<RecordField> fields, string requiredName)
    {
        var variant = fields.FirstOrDefault(f => string.Equals(f.Name, requiredName, StringComparison.OrdinalIgnoreCase));
        return variant is null ? "" : $" (a field \"{variant.Name}\" exists, but field names are case-sensitive: it must be \"{requiredName}\")";
    }
}
