namespace MonitorService.Checks.Parsing;

/// <summary>
/// Character classes of the RFC 5234 core rules and the field grammars shared by RFC 8461 and RFC 8460.
/// Deliberately ASCII-only: <see cref="char.IsLetter(char)"/> would accept letters the ABNF forbids.
/// </summary>
internal static class AbnfChars
{
    public const int MaxExtensionNameLength = 32;

    public static bool IsAlpha(char c) => c is >= 'A' and <= 'Z' or >= 'a' and <= 'z';

    public static bool IsDigit(char c) => c is >= '0' and <= '9';

    public static bool IsAlphaDigit(char c) => IsAlpha(c) || IsDigit(c);

    /// <summary>WSP = SP / HTAB.</summary>
    public static bool IsWsp(char c) => c is ' ' or '\t';

    public static string TrimWsp(string s) => s.Trim(' ', '\t');

    /// <summary>
    /// <c>(ALPHA / DIGIT) *31(ALPHA / DIGIT / "_" / "-" / ".")</c>: the extension field name of RFC 8461 §3.1 and
    /// RFC 8460 §3, and the key of a policy line (RFC 8461 §3.2).
    /// </summary>
    public static bool IsExtensionName(string name) =>
        name.Length is > 0 and <= MaxExtensionNameLength
        && IsAlphaDigit(name[0])
        && name.All(c => IsAlphaDigit(c) || c is '_' or '-' or '.');

    /// <summary>
    /// The first character not allowed in an extension value <c>1*(%x21-3A / %x3C / %x3E-7E)</c>, or null.
    /// Non-ASCII characters are skipped: the record analyzers report them once for the whole record.
    /// </summary>
    public static char? FirstInvalidExtensionValueChar(string value) =>
        value.Select(c => (char?)c).FirstOrDefault(c => c <= 0x7F && !IsExtensionValueChar(c!.Value));

    private static bool IsExtensionValueChar(char c) => c is >= (char)0x21 and <= (char)0x7E and not ';' and not '=';

    /// <summary>A character as a mail admin can read it in a message.</summary>
    public static string Describe(char c) => c switch
    {
        ' ' => "a space",
        '\t' => "a tab",
        < ' ' or (char)0x7F => $"the control character U+{(int)c:X4}",
        > (char)0x7E => $"the non-ASCII character '{c}' (U+{(int)c:X4})",
        _ => $"'{c}'",
    };
}
