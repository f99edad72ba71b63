namespace MonitorService.Checks.Parsing;

/// <summary>One line of a policy body without its terminator; <see cref="Number"/> counts from 1.</summary>
internal sealed record PolicyLine(int Number, string Text)
{
    private const int MaxSubjectLength = 100;

    public bool IsBlank => AbnfChars.TrimWsp(Text).Length == 0;

    /// <summary>The line as a finding subject: long lines are cut so one bad body cannot flood a report.</summary>
    public string Subject => Text.Length <= MaxSubjectLength ? Text : Text[..MaxSubjectLength] + "…";
}
