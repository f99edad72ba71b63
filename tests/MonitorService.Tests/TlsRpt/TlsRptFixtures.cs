using System.IO.Compression;
using System.Text;

namespace MonitorService.Tests.TlsRpt;

/// <summary>
/// Hand-written TLS-RPT reports, one per quirk real senders show (no customer data: example.test names and
/// documentation addresses). The first is a report exactly as RFC 8460 §4.4 (with erratum 6241) writes one.
/// </summary>
public static class TlsRptFixtures
{
    public const string Rfc = """
        {
          "organization-name": "Company-X",
          "date-range": { "start-datetime": "2026-11-28T00:00:00Z", "end-datetime": "2026-11-28T23:59:59Z" },
          "contact-info": "sts-reporting@company-x.example",
          "report-id": "5065427c-23d3-47ca-b6e0-946ea0e8c4be",
          "policies": [{
            "policy": {
              "policy-type": "sts",
              "policy-string": ["version: STSv1", "mode: testing", "mx: *.mail.company-y.example", "max_age: 86400"],
              "policy-domain": "company-y.example",
              "mx-host": ["*.mail.company-y.example"]
            },
            "summary": { "total-successful-session-count": 5326, "total-failure-session-count": 303 },
            "failure-details": [{
              "result-type": "certificate-expired",
              "sending-mta-ip": "2001:db8:abcd:0012::1",
              "receiving-mx-hostname": "mx1.mail.company-y.example",
              "failed-session-count": 100
            }, {
              "result-type": "starttls-not-supported",
              "sending-mta-ip": "2001:db8:abcd:0013::1",
              "receiving-mx-hostname": "mx2.mail.company-y.example",
              "receiving-ip": "203.0.113.56",
              "failed-session-count": 200,
              "additional-information": "https://reports.company-x.example/report_info?id=5065427c-23d3#StarttlsNotSupported"
            }, {
              "result-type": "validation-failure",
              "sending-mta-ip": "198.51.100.62",
              "receiving-ip": "203.0.113.58",
              "receiving-mx-hostname": "mx-backup.mail.company-y.example",
              "failed-session-count": 3,
              "failure-reason-code": "X509_V_ERR_PROXY_PATH_LENGTH_EXCEEDED"
            }]
          }]
        }
        """;

    /// <summary>Microsoft: date-times without a time zone, mx-host as one string, no contact-info.</summary>
    public const string NoTimeZone = """
        {"organization-name":"Microsoft Corporation","date-range":{"start-datetime":"2026-11-28T00:00:00","end-datetime":"2026-11-28T23:59:59"},
         "report-id":"133456789012345678+example.test",
         "policies":[{"policy":{"policy-type":"sts","policy-string":["version: STSv1","mode: enforce","mx: mx.example.test","max_age: 604800"],
           "policy-domain":"example.test","mx-host":"mx.example.test"},
           "summary":{"total-successful-session-count":12,"total-failure-session-count":0}}]}
        """;

    /// <summary>sts-policy-fetch-error: no sending IP, no MX name (there was no connection to an MX).</summary>
    public const string PolicyFetchError = """
        {"organization-name":"Fetcher Mail","date-range":{"start-datetime":"2026-11-28T00:00:00Z","end-datetime":"2026-11-29T00:00:00Z"},
         "contact-info":null,"report-id":"fetch-1",
         "policies":[{"policy":{"policy-type":"no-policy-found","policy-domain":"example.test"},
           "summary":{"total-successful-session-count":0,"total-failure-session-count":4},
           "failure-details":[{"result-type":"sts-policy-fetch-error","failed-session-count":4,"failure-reason-code":"HTTP 404 Not Found while fetching https://mta-sts.example.test/.well-known/mta-sts.txt"}]}]}
        """;

    /// <summary>DANE: policy-type tlsa, the records as a JSON array inside one string, policy-domain the MX's name.</summary>
    public const string TlsaArrayInString = """
        {"organization-name":"Dane Sender","date-range":{"start-datetime":"2026-11-28T00:00:00Z","end-datetime":"2026-11-28T23:59:59Z"},
         "contact-info":"noreply@dane.example","report-id":"dane-1",
         "policies":[{"policy":{"policy-type":"tlsa","policy-string":["[\"3 1 1 0C72AC70B745AC19998811B131D662C9AC69DBDBE7CB23E5B514B56664C5D3D6\",\"3 1 1 2D6E6E1B1A3F\"]"],
           "policy-domain":"_25._tcp.mx.hosting.example"},
           "summary":{"total-successful-session-count":7,"total-failure-session-count":1},
           "failure-details":[{"result-type":"tlsa-invalid","sending-mta-ip":"192.0.2.10","receiving-mx-hostname":"mx.example.test","failed-session-count":1}]}]}
        """;

    /// <summary>no-policy-found with only a success count and no policy-domain (next to one that has it).</summary>
    public const string NoPolicyFoundOnlySuccess = """
        {"organization-name":"Quiet Sender","date-range":{"start-datetime":"2026-11-28T00:00:00Z","end-datetime":"2026-11-28T23:59:59Z"},
         "contact-info":"postmaster@quiet.example","report-id":"quiet-1",
         "policies":[
           {"policy":{"policy-type":"no-policy-found"},"summary":{"total-successful-session-count":3}},
           {"policy":{"policy-type":"no-policy-found","policy-domain":"example.test"},"summary":{"total-successful-session-count":9}}]}
        """;

    /// <summary>Summary totals that disagree with the failure details; a free-text reason; a result type not in the IANA registry.</summary>
    public const string TotalsDisagree = """
        {"organization-name":"Sloppy Counter","date-range":{"start-datetime":"2026-11-28T00:00:00+00:00","end-datetime":"2026-11-28T23:59:59+00:00"},
         "contact-info":"x@sloppy.example","report-id":"sloppy-1",
         "policies":[{"policy":{"policy-type":"sts","policy-string":["version: STSv1","mode: enforce","mx: mx.example.test","max_age: 86400"],"policy-domain":"Example.TEST.","mx-host":["mx.example.test"]},
           "summary":{"total-successful-session-count":50,"total-failure-session-count":10},
           "failure-details":[
             {"result-type":"certificate-host-mismatch","sending-mta-ip":"192.0.2.20","receiving-mx-hostname":"mx.example.test.","receiving-ip":"198.51.100.7","failed-session-count":4,"failure-reason-code":"the certificate was issued for mail.other.example, not mx.example.test"},
             {"result-type":"dnssec-bogus-answer-2026","sending-mta-ip":"192.0.2.21","failed-session-count":3}]}]}
        """;

    /// <summary>Report-id with odd characters (angle brackets, @, spaces, a quote, non-ASCII).</summary>
    public const string OddReportId = """
        {"organization-name":"Odd Ids","date-range":{"start-datetime":"2026-11-28T00:00:00Z","end-datetime":"2026-11-28T23:59:59Z"},
         "contact-info":"odd@odd.example","report-id":"<2026.11.28 \"T\" ü/../;DROP@odd.example>",
         "policies":[{"policy":{"policy-type":"sts","policy-domain":"example.test"},"summary":{"total-successful-session-count":1,"total-failure-session-count":0}}]}
        """;

    /// <summary>A report like <see cref="Rfc"/> about <paramref name="domain"/> with the given organisation and report-id.</summary>
    public static string Report(string organization, string reportId, string domain, long successful = 10, long failed = 0, string day = "2026-11-28")
    {
        var details = failed > 0
            ? $$""","failure-details":[{"result-type":"certificate-expired","sending-mta-ip":"192.0.2.1","receiving-mx-hostname":"mx.{{domain}}","failed-session-count":{{failed}}}]"""
            : "";
        return $$"""
            {"organization-name":"{{organization}}","date-range":{"start-datetime":"{{day}}T00:00:00Z","end-datetime":"{{day}}T23:59:59Z"},
             "contact-info":"reports@sender.example","report-id":"{{reportId}}",
             "policies":[{"policy":{"policy-type":"sts","policy-string":["version: STSv1","mode: enforce","mx: mx.{{domain}}","max_age: 86400"],"policy-domain":"{{domain}}","mx-host":["mx.{{domain}}"]},
               "summary":{"total-successful-session-count":{{successful}},"total-failure-session-count":{{failed}}}{{details}}}]}
            """;
    }

    public static byte[] Utf8(string json) => Encoding.UTF8.GetBytes(json);

    public static byte[] Gzip(string json)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Optimal, leaveOpen: true))
            gzip.Write(Encoding.UTF8.GetBytes(json));
        return buffer.ToArray();
    }
}
