using System.Text.Json;
using MonitorService.Storage.Entities;

namespace MonitorService.TlsRpt.Parsing;

/// <summary>
/// Parses a TLS-RPT aggregate report (RFC 8460 §4.4, with erratum 6241: <c>mx-host</c> is an array). Strict where
/// the RFC is — the members every report needs (organisation, report-id, date range, policies with a type and a
/// summary, failure details with a result type and a count), their JSON types, counts that are whole numbers of at
/// least 0 — and tolerant of what real senders write: see the notes on each member below. No IO; never throws on
/// input: everything wrong with it ends up in <see cref="TlsRptParseResult.Error"/>.
/// </summary>
public static class TlsRptReportParser
{
    private static readonly JsonDocumentOptions Options = new()
    {
        MaxDepth = TlsRptLimits.MaxJsonDepth,
        CommentHandling = JsonCommentHandling.Disallow,
        AllowTrailingCommas = false,
    };

    public static TlsRptParseResult Parse(ReadOnlyMemory<byte> json)
    {
        try
        {
            using var document = JsonDocument.Parse(json, Options);
            var notes = new List<string>();
            return TlsRptParseResult.Ok(ReadReport(document.RootElement, notes));
        }
        catch (JsonException e)
        {
            return TlsRptParseResult.Invalid($"Not JSON: {FirstLine(e.Message)}");
        }
        catch (ReportFormatException e)
        {
            return TlsRptParseResult.Invalid(e.Message);
        }
        catch (OverflowException)
        {
            return TlsRptParseResult.Invalid("The failure details' session counts add up to more than a 64-bit count holds.");
        }
        catch (InvalidOperationException e)
        {
            // JsonElement refuses strings it cannot turn into UTF-16 (such as a lone surrogate escape).
            return TlsRptParseResult.Invalid($"Unreadable value: {FirstLine(e.Message)}");
        }
    }

    private static string FirstLine(string message) => message.Split('\n')[0].Trim();

    private static ParsedTlsRptReport ReadReport(JsonElement root, List<string> notes)
    {
        if (root.ValueKind != JsonValueKind.Object)
            throw new ReportFormatException($"The report is a JSON {Kind(root)}, not an object.");
        var organization = RequiredString(root, "organization-name", TlsRptLimits.OrganizationName, notes);
        var reportId = RequiredString(root, "report-id", TlsRptLimits.ReportId, notes);
        // contact-info is required by the RFC, but senders leave it out or write null: nothing depends on it.
        var contact = OptionalString(root, "contact-info", TlsRptLimits.ContactInfo, notes);

        var range = Member(root, "date-range", JsonValueKind.Object)
            ?? throw new ReportFormatException("The report has no \"date-range\".");
        var start = RequiredDateTime(range, "start-datetime", notes);
        var end = RequiredDateTime(range, "end-datetime", notes);
        if (end < start)
            throw new ReportFormatException($"\"date-range\" ends ({end:O}) before it starts ({start:O}).");

        var policies = Member(root, "policies", JsonValueKind.Array)
            ?? throw new ReportFormatException("The report has no \"policies\" array.");
        var parsed = new List<TlsRptPolicy>();
        var reportDay = DateOnly.FromDateTime(start.UtcDateTime);
        var failureBudget = TlsRptLimits.MaxFailureDetailsPerReport;
        var index = 0;
        foreach (var entry in policies.EnumerateArray())
        {
            if (index == TlsRptLimits.MaxPolicies)
            {
                notes.Add($"Only the first {TlsRptLimits.MaxPolicies} of {policies.GetArrayLength()} policies were read.");
                break;
            }
            var policy = ReadPolicy(entry, index, notes, ref failureBudget);
            policy.ReportDay = reportDay;
            policy.OrganizationName = organization;
            parsed.Add(policy);
            index++;
        }
        // A report ending at the next day's 00:00:00Z and one ending at 23:59:59Z both cover the start's day.
        return new ParsedTlsRptReport(organization, reportId, contact, start, end, reportDay, parsed, notes);
    }

    private static TlsRptPolicy ReadPolicy(JsonElement entry, int index, List<string> notes, ref int failureBudget)
    {
        var where = $"policies[{index}]";
        if (entry.ValueKind != JsonValueKind.Object)
            throw new ReportFormatException($"{where} is a JSON {Kind(entry)}, not an object.");
        var policy = Member(entry, "policy", JsonValueKind.Object)
            ?? throw new ReportFormatException($"{where} has no \"policy\" object.");
        var type = RequiredString(policy, "policy-type", TlsRptLimits.PolicyType, notes, where);
        // Required by the RFC, but no-policy-found entries come without it from some senders.
        var domain = TlsRptText.DomainName(OptionalRawString(policy, "policy-domain", where), out var domainCut);
        if (domainCut)
            notes.Add($"{where}: \"policy-domain\" was cut to {TlsRptLimits.DomainName} characters.");
        var strings = PolicyStrings(policy, type, where, notes);
        var mxHosts = StringOrArray(policy, "mx-host", where, TlsRptLimits.MaxMxHosts, TlsRptLimits.DomainName, notes)
            .Select(h => h.TrimEnd('.').ToLowerInvariant()).Where(h => h.Length > 0).ToList();

        var summary = Member(entry, "summary", JsonValueKind.Object)
            ?? throw new ReportFormatException($"{where} has no \"summary\" object.");
        // no-policy-found entries often carry only the successful sessions: a missing count is no sessions.
        var successful = Count(summary, "total-successful-session-count", where, required: false);
        var failed = Count(summary, "total-failure-session-count", where, required: false);

        var result = new TlsRptPolicy
        {
            N = index,
            OrganizationName = "",
            PolicyType = type,
            PolicyDomain = domain,
            PolicyStrings = strings,
            MxHosts = mxHosts,
            SuccessfulSessions = successful,
            FailedSessions = failed,
        };
        if (Member(entry, "failure-details", JsonValueKind.Array) is { } details)
        {
            var n = 0;
            foreach (var detail in details.EnumerateArray())
            {
                if (n == TlsRptLimits.MaxFailureDetailsPerPolicy || failureBudget == 0)
                {
                    notes.Add($"{where}: only the first {n} of {details.GetArrayLength()} failure details were read.");
                    break;
                }
                var failure = ReadFailure(detail, $"{where}.failure-details[{n}]", notes);
                result.Failures.Add(failure);
                result.FailureDetailSessions = checked(result.FailureDetailSessions + failure.FailedSessions);
                n++;
                failureBudget--;
            }
        }
        // Senders' totals often disagree with their details: both are kept, and the views show the difference.
        if (result.FailureDetailSessions != result.FailedSessions && result.Failures.Count > 0)
            notes.Add($"{where}: total-failure-session-count {failed} differs from the failure details' sum {result.FailureDetailSessions}.");
        return result;
    }

    private static TlsRptFailure ReadFailure(JsonElement detail, string where, List<string> notes)
    {
        if (detail.ValueKind != JsonValueKind.Object)
            throw new ReportFormatException($"{where} is a JSON {Kind(detail)}, not an object.");
        return new TlsRptFailure
        {
            // Result types outside the IANA registry are kept verbatim.
            ResultType = RequiredString(detail, "result-type", TlsRptLimits.ResultType, notes, where),
            // Missing in sts-policy-fetch-error details: there was no connection to an MX yet.
            SendingMtaIp = OptionalString(detail, "sending-mta-ip", TlsRptLimits.IpAddress, notes, where),
            ReceivingMxHostname = TlsRptText.DomainName(OptionalRawString(detail, "receiving-mx-hostname", where), out _),
            ReceivingMxHelo = OptionalString(detail, "receiving-mx-helo", TlsRptLimits.DomainName, notes, where),
            ReceivingIp = OptionalString(detail, "receiving-ip", TlsRptLimits.IpAddress, notes, where),
            FailedSessions = Count(detail, "failed-session-count", where, required: true),
            AdditionalInformation = OptionalString(detail, "additional-information", TlsRptLimits.FreeText, notes, where),
            // Free text in real reports (the RFC leaves its form open).
            FailureReasonCode = OptionalString(detail, "failure-reason-code", TlsRptLimits.FreeText, notes, where),
        };
    }

    /// <summary>
    /// The policy as applied. For tlsa policies some senders put the whole list of records as one JSON array inside
    /// one string (<c>["[\"3 1 1 ab..\",\"3 1 1 cd..\"]"]</c>): it is unpacked into its records.
    /// </summary>
    private static List<string> PolicyStrings(JsonElement policy, string type, string where, List<string> notes)
    {
        var strings = StringOrArray(policy, "policy-string", where, TlsRptLimits.MaxPolicyStrings, TlsRptLimits.MaxPolicyStringLength, notes);
        if (!type.Equals("tlsa", StringComparison.OrdinalIgnoreCase) || strings.Count != 1 || !strings[0].StartsWith('['))
            return strings;
        try
        {
            using var inner = JsonDocument.Parse(strings[0], Options);
            if (inner.RootElement.ValueKind != JsonValueKind.Array || inner.RootElement.EnumerateArray().Any(e => e.ValueKind != JsonValueKind.String))
                return strings;
            return [.. inner.RootElement.EnumerateArray().Take(TlsRptLimits.MaxPolicyStrings)
                .Select(e => TlsRptText.Clean(e.GetString(), TlsRptLimits.MaxPolicyStringLength, out _)).OfType<string>()];
        }
        catch (JsonException)
        {
            return strings; // not JSON after all: kept as written
        }
    }

    /// <summary>A member that real reports write as a string or as an array of strings (mx-host, policy-string); missing or null is empty.</summary>
    private static List<string> StringOrArray(JsonElement parent, string name, string where, int maxCount, int maxLength, List<string> notes)
    {
        if (!parent.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
            return [];
        IEnumerable<JsonElement> items = value.ValueKind switch
        {
            JsonValueKind.String => [value],
            JsonValueKind.Array => value.EnumerateArray(),
            _ => throw new ReportFormatException($"{where}: \"{name}\" is a JSON {Kind(value)}, not a string or an array of strings."),
        };
        var list = new List<string>();
        foreach (var item in items)
        {
            if (item.ValueKind != JsonValueKind.String)
                throw new ReportFormatException($"{where}: \"{name}\" holds a JSON {Kind(item)}, not a string.");
            if (list.Count == maxCount)
            {
                notes.Add($"{where}: only the first {maxCount} entries of \"{name}\" were read.");
                break;
            }
            if (TlsRptText.Clean(item.GetString(), maxLength, out var cut) is { } text)
                list.Add(text);
            if (cut)
                notes.Add($"{where}: an entry of \"{name}\" was cut to {maxLength} characters.");
        }
        return list;
    }

    private static JsonElement? Member(JsonElement parent, string name, JsonValueKind kind)
    {
        if (!parent.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
            return null;
        if (value.ValueKind != kind)
            throw new ReportFormatException($"\"{name}\" is a JSON {Kind(value)}, not {(kind == JsonValueKind.Array ? "an array" : "an " + Kind(kind))}.");
        return value;
    }

    private static string? OptionalRawString(JsonElement parent, string name, string? where)
    {
        if (!parent.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
            return null;
        if (value.ValueKind != JsonValueKind.String)
            throw new ReportFormatException($"{Prefix(where)}\"{name}\" is a JSON {Kind(value)}, not a string.");
        return value.GetString();
    }

    private static string? OptionalString(JsonElement parent, string name, int max, List<string> notes, string? where = null)
    {
        var text = TlsRptText.Clean(OptionalRawString(parent, name, where), max, out var cut);
        if (cut)
            notes.Add($"{Prefix(where)}\"{name}\" was cut to {max} characters.");
        return text;
    }

    private static string RequiredString(JsonElement parent, string name, int max, List<string> notes, string? where = null) =>
        OptionalString(parent, name, max, notes, where) ?? throw new ReportFormatException($"{Prefix(where)}\"{name}\" is missing or empty.");

    private static DateTimeOffset RequiredDateTime(JsonElement range, string name, List<string> notes)
    {
        var text = OptionalRawString(range, name, "date-range") ?? throw new ReportFormatException($"date-range: \"{name}\" is missing.");
        if (!TlsRptDateTime.TryParse(text, out var value, out var zoneMissing))
            throw new ReportFormatException($"date-range: \"{name}\" is not an RFC 3339 date-time: \"{TlsRptText.Clean(text, 64, out _)}\".");
        if (zoneMissing)
            notes.Add($"date-range: \"{name}\" has no time zone; taken as UTC.");
        return value;
    }

    private static long Count(JsonElement parent, string name, string where, bool required)
    {
        if (!parent.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
            return required ? throw new ReportFormatException($"{where}: \"{name}\" is missing.") : 0;
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt64(out var count) || count < 0)
            throw new ReportFormatException($"{where}: \"{name}\" is not a whole number of at least 0: {TlsRptText.Clean(value.GetRawText(), 64, out _)}.");
        return count;
    }

    private static string Prefix(string? where) => where is null ? "" : where + ": ";

    private static string Kind(JsonElement value) => Kind(value.ValueKind);

    private static string Kind(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "object",
        JsonValueKind.Array => "array",
        JsonValueKind.String => "string",
        JsonValueKind.Number => "number",
        JsonValueKind.True or JsonValueKind.False => "boolean",
        JsonValueKind.Null => "null",
        _ => "value",
    };

    /// <summary>What is wrong with the report, in words; caught in <see cref="Parse"/>, never escapes it.</summary>
    private sealed class ReportFormatException(string message) : Exception(message);
}
