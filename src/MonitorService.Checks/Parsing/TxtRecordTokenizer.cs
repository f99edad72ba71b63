namespace MonitorService.Checks.Parsing;

/// <summary>
/// Splits a record of the shape shared by RFC 8461 §3.1 and RFC 8460 §3:
/// <c>version 1*(field-delim field) [field-delim]</c> with <c>field-delim = *WSP ";" *WSP</c>.
/// Field semantics (id, rua, extensions) are left to the caller.
/// </summary>
internal static class TxtRecordTokenizer
{
    /// <param name="record">The record, strings already joined; the caller has checked it starts with <paramref name="versionField"/>.</param>
    /// <param name="versionField">Such as <c>v=STSv1</c>.</param>
    public static TxtRecordTokens Tokenize(string record, string versionField)
    {
        var problems = new List<string>();
        var fields = new List<RecordField>();

        var nonAscii = record.Select((c, i) => (c, i)).FirstOrDefault(x => x.c > 0x7F);
        if (nonAscii.c != default)
        {
            problems.Add($"the record contains {AbnfChars.Describe(nonAscii.c)} at position {nonAscii.i + 1}: records must be US-ASCII");
        }

        var parts = record.Split(';');
        var head = parts[0];
        var headTrimmed = head.TrimEnd(' ', '\t');
        if (headTrimmed != versionField)
        {
            problems.Add($"the record must begin with \"{versionField}\" followed by ';', but its first field is \"{headTrimmed}\"");
        }

        bool whitespaceBeforeFirstDelimiter = parts.Length > 1 && head.Length != headTrimmed.Length;
        bool trailingWhitespace = parts.Length == 1 && head.Length != headTrimmed.Length;

        for (int k = 1; k < parts.Length; k++)
        {
            bool isLast = k == parts.Length - 1;
            var field = AbnfChars.TrimWsp(parts[k]);
            if (field.Length == 0)
            {
                // Only the last part may be empty: that is the one optional trailing delimiter.
                if (!isLast)
                {
                    problems.Add("the record has an empty field between two ';'");
                }
                continue;
            }

            if (isLast && parts[k].TrimEnd(' ', '\t').Length != parts[k].Length)
            {
                trailingWhitespace = true;
            }

            int eq = field.IndexOf('=');
            if (eq < 0)
            {
                problems.Add($"field \"{field}\" has no '=' (fields are name=value)");
                continue;
            }

            var name = field[..eq];
            var value = field[(eq + 1)..];
            if (name.Length > 0 && AbnfChars.IsWsp(name[^1]) || value.Length > 0 && AbnfChars.IsWsp(value[0]))
            {
                problems.Add($"field \"{field}\" has whitespace around '=', which is not allowed");
                continue;
            }

            fields.Add(new RecordField(name, value));
        }

        return new TxtRecordTokens(fields, problems, whitespaceBeforeFirstDelimiter, trailingWhitespace);
    }
}
