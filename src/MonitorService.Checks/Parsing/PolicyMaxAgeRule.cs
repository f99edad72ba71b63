using MonitorService.Checks.Model;

namespace MonitorService.Checks.Parsing;

/// <summary><c>max_age</c>: <c>1*10DIGIT</c> seconds, at most 31557600 (RFC 8461 §3.2), and long enough to protect (§10.2).</summary>
internal static class PolicyMaxAgeRule
{
    public const long Maximum = 31_557_600;
    private const int MaxDigits = 10;
    private const long OneDay = 86_400;
    private const string Fix = "Write the line as \"max_age: 604800\" (one week) or longer, up to 31557600.";

    /// <summary>Parses the value; the low-value check needs the mode, so it is separate.</summary>
    public static (long? MaxAge, List<Finding> Findings) Evaluate(PolicyField? field, IReadOnlyList<PolicyField> all)
    {
        if (field is null)
        {
            return (null, [Error(null, PolicyKeyHint.MissingMessage(all, "max_age") + " Senders reject a policy without max_age.")]);
        }

        var value = field.Value;
        if (Problem(value) is { } problem)
        {
            return (null, [Error(value, $"max_age \"{value}\" is invalid: {problem}. It must be 0 to {Maximum} seconds written as plain digits; senders reject the policy.")]);
        }

        return (long.Parse(value, System.Globalization.CultureInfo.InvariantCulture), []);
    }

    /// <summary>
    /// A short max_age lets a cached policy lapse quickly, so an attacker who blocks the fetch soon strips it.
    /// With mode none a short max_age is the documented removal flow (§8.3), so it is only information then.
    /// </summary>
    public static Finding? LowValueFinding(long maxAge, StsMode? mode)
    {
        if (maxAge >= OneDay)
        {
            return null;
        }

        if (mode == StsMode.None)
        {
            return PolicyFindings.Create(FindingCodes.MaxAgeLow, Severity.Info, maxAge.ToString(System.Globalization.CultureInfo.InvariantCulture),
                $"max_age is {maxAge} seconds with mode none: senders forget the policy quickly, as intended when removing MTA-STS.");
        }

        var message = maxAge == 0
            ? "max_age is 0: valid per RFC 8461, but senders may not cache the policy at all, so it gives no protection between fetches, and some validators reject 0. Use 604800 (one week) or more."
            : $"max_age is {maxAge} seconds, under a day: senders re-fetch the policy often and its protection lapses quickly when the policy host cannot be reached. Use 604800 (one week) or more.";
        return PolicyFindings.Create(FindingCodes.MaxAgeLow, Severity.Warning, maxAge.ToString(System.Globalization.CultureInfo.InvariantCulture), message, Fix);
    }

    private static string? Problem(string value)
    {
        if (value.Length == 0)
        {
            return "the value is empty";
        }

        if (value[0] is '+' or '-')
        {
            return "a sign is not allowed";
        }

        if (value.Contains('.') || value.Contains(','))
        {
            return "decimals are not allowed";
        }

        if (!value.All(AbnfChars.IsDigit))
        {
            return "only digits are allowed (no units or spaces)";
        }

        if (value.Length > MaxDigits)
        {
            return $"it has {value.Length} digits, at most {MaxDigits} are allowed";
        }

        return long.Parse(value, System.Globalization.CultureInfo.InvariantCulture) > Maximum
            ? $"it is above the maximum of {Maximum} (one year)"
            : null;
    }

    private static Finding Error(string? subject, string message) =>
        PolicyFindings.Create(FindingCodes.PolicyMaxAge, Severity.Error, subject, message, Fix);
}
