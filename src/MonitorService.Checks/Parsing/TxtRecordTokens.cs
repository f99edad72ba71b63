namespace MonitorService.Checks.Parsing;

/// <summary>The fields of a tag-value TXT record plus what was wrong with its structure.</summary>
/// <param name="Fields">Well-formed fields after the version, in order, repeats included.</param>
/// <param name="Problems">Structural problems in words; any problem makes the record invalid.</param>
/// <param name="WhitespaceBeforeFirstDelimiter">True for <c>v=STSv1 ; ...</c>: valid by the ABNF, dropped by prose-following senders.</param>
/// <param name="TrailingWhitespace">True when the record ends in whitespace not followed by ';', which the ABNF does not allow.</param>
internal sealed record TxtRecordTokens(
    IReadOnlyList<RecordField> Fields,
    IReadOnlyList<string> Problems,
    bool WhitespaceBeforeFirstDelimiter,
    bool TrailingWhitespace);
