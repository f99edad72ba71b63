using System.Text;
using MonitorService.TlsRpt.Parsing;

namespace MonitorService.Tests.TlsRpt;

/// <summary>The parser on the RFC's report, on every quirk real senders show, and on what it must refuse.</summary>
public class TlsRptParserTests
{
    private static ParsedTlsRptReport Parsed(string json)
    {
        var result = TlsRptReportParser.Parse(Encoding.UTF8.GetBytes(json));
        Assert.True(result.Report is not null, $"refused: {result.Error}");
        return result.Report;
    }

    private static string Refused(string json)
    {
        var result = TlsRptReportParser.Parse(Encoding.UTF8.GetBytes(json));
        Assert.Null(result.Report);
        Assert.False(string.IsNullOrWhiteSpace(result.Error));
        return result.Error!;
    }

    [Fact]
    public void The_RFC_example_is_read_in_full()
    {
        var report = Parsed(TlsRptFixtures.Rfc);
        Assert.Equal("Company-X", report.OrganizationName);
        Assert.Equal("5065427c-23d3-47ca-b6e0-946ea0e8c4be", report.ReportId);
        Assert.Equal("sts-reporting@company-x.example", report.ContactInfo);
        Assert.Equal(new DateOnly(2026, 11, 28), report.ReportDay);
        var policy = Assert.Single(report.Policies);
        Assert.Equal("sts", policy.PolicyType);
        Assert.Equal("company-y.example", policy.PolicyDomain);
        Assert.Equal(4, policy.PolicyStrings.Count);
        Assert.Equal(["*.mail.company-y.example"], policy.MxHosts);
        Assert.Equal(5326, policy.SuccessfulSessions);
        Assert.Equal(303, policy.FailedSessions);
        Assert.Equal(303, policy.FailureDetailSessions);
        Assert.Equal(["certificate-expired", "starttls-not-supported", "validation-failure"], policy.Failures.Select(f => f.ResultType));
        Assert.Equal("203.0.113.56", policy.Failures[1].ReceivingIp);
        Assert.Equal("X509_V_ERR_PROXY_PATH_LENGTH_EXCEEDED", policy.Failures[2].FailureReasonCode);
        Assert.Empty(report.Notes);
    }

    [Fact]
    public void Date_times_without_a_zone_are_UTC_and_mx_host_may_be_a_string_and_contact_info_missing()
    {
        var report = Parsed(TlsRptFixtures.NoTimeZone);
        Assert.Equal(new DateTimeOffset(2026, 11, 28, 0, 0, 0, TimeSpan.Zero), report.StartAt);
        Assert.Equal(new DateTimeOffset(2026, 11, 28, 23, 59, 59, TimeSpan.Zero), report.EndAt);
        Assert.Null(report.ContactInfo);
        Assert.Equal(["mx.example.test"], Assert.Single(report.Policies).MxHosts);
        Assert.Contains(report.Notes, n => n.Contains("no time zone", StringComparison.Ordinal));
    }

    [Fact]
    public void Policy_fetch_errors_without_sending_IP_or_MX_are_read_and_an_end_at_the_next_midnight_stays_in_the_start_day()
    {
        var report = Parsed(TlsRptFixtures.PolicyFetchError);
        Assert.Null(report.ContactInfo);
        Assert.Equal(new DateOnly(2026, 11, 28), report.ReportDay);
        Assert.Equal(new DateTimeOffset(2026, 11, 29, 0, 0, 0, TimeSpan.Zero), report.EndAt);
        var failure = Assert.Single(Assert.Single(report.Policies).Failures);
        Assert.Equal("sts-policy-fetch-error", failure.ResultType);
        Assert.Null(failure.SendingMtaIp);
        Assert.Null(failure.ReceivingMxHostname);
        Assert.StartsWith("HTTP 404", failure.FailureReasonCode, StringComparison.Ordinal);
    }

    [Fact]
    public void A_tlsa_policy_string_holding_a_JSON_array_is_unpacked_into_its_records()
    {
        var policy = Assert.Single(Parsed(TlsRptFixtures.TlsaArrayInString).Policies);
        Assert.Equal("tlsa", policy.PolicyType);
        Assert.Equal(2, policy.PolicyStrings.Count);
        Assert.All(policy.PolicyStrings, s => Assert.StartsWith("3 1 1 ", s, StringComparison.Ordinal));
        Assert.Equal("mx.example.test", Assert.Single(policy.Failures).ReceivingMxHostname);
    }

    [Fact]
    public void No_policy_found_entries_with_only_success_counts_and_no_policy_domain_are_read()
    {
        var report = Parsed(TlsRptFixtures.NoPolicyFoundOnlySuccess);
        Assert.Equal(2, report.Policies.Count);
        Assert.Null(report.Policies[0].PolicyDomain);
        Assert.Equal(3, report.Policies[0].SuccessfulSessions);
        Assert.Equal(0, report.Policies[0].FailedSessions);
        Assert.Empty(report.Policies[0].Failures);
        Assert.Equal("example.test", report.Policies[1].PolicyDomain);
        Assert.Equal(1, report.Policies[1].N);
    }

    [Fact]
    public void Totals_that_disagree_with_the_details_are_both_kept_and_unknown_result_types_and_free_text_codes_verbatim()
    {
        var report = Parsed(TlsRptFixtures.TotalsDisagree);
        var policy = Assert.Single(report.Policies);
        Assert.Equal("example.test", policy.PolicyDomain); // lower case, no trailing dot
        Assert.Equal(10, policy.FailedSessions);
        Assert.Equal(7, policy.FailureDetailSessions);
        Assert.Contains(report.Notes, n => n.Contains("differs", StringComparison.Ordinal));
        Assert.Equal("dnssec-bogus-answer-2026", policy.Failures[1].ResultType);
        Assert.Equal("mx.example.test", policy.Failures[0].ReceivingMxHostname);
        Assert.Equal("the certificate was issued for mail.other.example, not mx.example.test", policy.Failures[0].FailureReasonCode);
    }

    [Fact]
    public void Report_ids_with_odd_characters_are_kept_as_written()
    {
        Assert.Equal("<2026.11.28 \"T\" ü/../;DROP@odd.example>", Parsed(TlsRptFixtures.OddReportId).ReportId);
    }

    [Fact]
    public void Strings_are_capped_to_their_columns_and_cleaned_of_control_characters()
    {
        var json = TlsRptFixtures.Rfc
            .Replace("\"Company-X\"", $"\"{new string('o', 300)}\\u0000\"", StringComparison.Ordinal)
            .Replace("\"5065427c-23d3-47ca-b6e0-946ea0e8c4be\"", "\"id\\u0000with\\u0007nul\"", StringComparison.Ordinal)
            .Replace("\"X509_V_ERR_PROXY_PATH_LENGTH_EXCEEDED\"", $"\"{new string('r', 5000)}\"", StringComparison.Ordinal);
        var report = Parsed(json);
        Assert.Equal(256, report.OrganizationName.Length);
        Assert.Equal("idwithnul", report.ReportId);
        Assert.Equal(1024, report.Policies[0].Failures[2].FailureReasonCode!.Length);
        Assert.Contains(report.Notes, n => n.Contains("organization-name", StringComparison.Ordinal));
        Assert.Contains(report.Notes, n => n.Contains("failure-reason-code", StringComparison.Ordinal));
    }

    [Fact]
    public void Counts_of_policies_and_failure_details_are_capped_and_the_cut_is_said()
    {
        var failure = """{"result-type":"validation-failure","sending-mta-ip":"192.0.2.1","failed-session-count":1}""";
        var policy = $$"""{"policy":{"policy-type":"sts","policy-domain":"example.test"},"summary":{"total-successful-session-count":1,"total-failure-session-count":1200},"failure-details":[{{string.Join(',', Enumerable.Repeat(failure, 1200))}}]}""";
        var json = $$"""{"organization-name":"Many","date-range":{"start-datetime":"2026-11-28T00:00:00Z","end-datetime":"2026-11-28T23:59:59Z"},"report-id":"many","policies":[{{string.Join(',', Enumerable.Repeat(policy, 1100))}}]}""";
        var report = Parsed(json);
        Assert.Equal(TlsRptLimits.MaxPolicies, report.Policies.Count);
        Assert.Equal(TlsRptLimits.MaxFailureDetailsPerPolicy, report.Policies[0].Failures.Count);
        Assert.Equal(TlsRptLimits.MaxFailureDetailsPerReport, report.Policies.Sum(p => p.Failures.Count));
        Assert.Contains(report.Notes, n => n.Contains($"first {TlsRptLimits.MaxPolicies} of 1100 policies", StringComparison.Ordinal));
        Assert.Contains(report.Notes, n => n.Contains("failure details were read", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("not json at all", "Not JSON")]
    [InlineData("[1,2]", "not an object")]
    [InlineData("""{"date-range":{"start-datetime":"2026-11-28T00:00:00Z","end-datetime":"2026-11-28T23:59:59Z"},"report-id":"x","policies":[]}""", "organization-name")]
    [InlineData("""{"organization-name":"O","date-range":{"start-datetime":"2026-11-28T00:00:00Z","end-datetime":"2026-11-28T23:59:59Z"},"policies":[]}""", "report-id")]
    [InlineData("""{"organization-name":"O","report-id":"x","policies":[]}""", "date-range")]
    [InlineData("""{"organization-name":"O","report-id":"x","date-range":{"start-datetime":"yesterday","end-datetime":"2026-11-28T23:59:59Z"},"policies":[]}""", "RFC 3339")]
    [InlineData("""{"organization-name":"O","report-id":"x","date-range":{"start-datetime":"2026-11-29T00:00:00Z","end-datetime":"2026-11-28T23:59:59Z"},"policies":[]}""", "before it starts")]
    [InlineData("""{"organization-name":"O","report-id":"x","date-range":{"start-datetime":"2026-11-28T00:00:00Z","end-datetime":"2026-11-28T23:59:59Z"}}""", "policies")]
    [InlineData("""{"organization-name":"O","report-id":"x","date-range":{"start-datetime":"2026-11-28T00:00:00Z","end-datetime":"2026-11-28T23:59:59Z"},"policies":[{"policy":{"policy-domain":"example.test"},"summary":{}}]}""", "policy-type")]
    [InlineData("""{"organization-name":"O","report-id":"x","date-range":{"start-datetime":"2026-11-28T00:00:00Z","end-datetime":"2026-11-28T23:59:59Z"},"policies":[{"policy":{"policy-type":"sts","policy-domain":"example.test"}}]}""", "summary")]
    [InlineData("""{"organization-name":"O","report-id":"x","date-range":{"start-datetime":"2026-11-28T00:00:00Z","end-datetime":"2026-11-28T23:59:59Z"},"policies":[{"policy":{"policy-type":"sts","policy-domain":"example.test"},"summary":{"total-successful-session-count":-1}}]}""", "at least 0")]
    [InlineData("""{"organization-name":"O","report-id":"x","date-range":{"start-datetime":"2026-11-28T00:00:00Z","end-datetime":"2026-11-28T23:59:59Z"},"policies":[{"policy":{"policy-type":"sts","policy-domain":"example.test"},"summary":{"total-successful-session-count":"12"}}]}""", "whole number")]
    [InlineData("""{"organization-name":"O","report-id":"x","date-range":{"start-datetime":"2026-11-28T00:00:00Z","end-datetime":"2026-11-28T23:59:59Z"},"policies":[{"policy":{"policy-type":"sts","policy-domain":"example.test"},"summary":{},"failure-details":[{"result-type":"x"}]}]}""", "failed-session-count")]
    [InlineData("""{"organization-name":"O","report-id":"x","date-range":{"start-datetime":"2026-11-28T00:00:00Z","end-datetime":"2026-11-28T23:59:59Z"},"policies":[{"policy":{"policy-type":"sts","policy-domain":"example.test"},"summary":{},"failure-details":[{"result-type":"x","failed-session-count":9223372036854775807},{"result-type":"x","failed-session-count":9}]}]}""", "64-bit")]
    [InlineData("""{"organization-name":"\ud800","report-id":"x","date-range":{"start-datetime":"2026-11-28T00:00:00Z","end-datetime":"2026-11-28T23:59:59Z"},"policies":[]}""", "Unreadable")]
    public void What_the_RFC_requires_is_required(string json, string reasonPart)
    {
        Assert.Contains(reasonPart, Refused(json), StringComparison.Ordinal);
    }

    [Fact]
    public void Deeply_nested_JSON_is_refused_by_the_depth_limit_not_by_a_stack_overflow()
    {
        var json = """{"organization-name":"O","report-id":"x","extra":""" + new string('[', 100_000) + new string(']', 100_000) + "}";
        Assert.Contains("depth", Refused(json), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Invalid_UTF8_is_refused()
    {
        var bytes = Encoding.UTF8.GetBytes(TlsRptFixtures.Rfc);
        bytes[30] = 0xff;
        var result = TlsRptReportParser.Parse(bytes);
        Assert.Null(result.Report);
        Assert.Contains("invalid", result.Error, StringComparison.OrdinalIgnoreCase);
    }
}
