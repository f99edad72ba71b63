using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using MimeKit;

namespace MonitorService.Tests.TlsRpt.Mailbox;

/// <summary>Mail as TLS-RPT senders send it (RFC 8460 §5.3), and mail that only looks like it. Made-up organisations and domains.</summary>
public static class TlsRptMessages
{
    public static string ReportJson(string policyDomain, string reportId, string organization = "Sender Example Inc.") => $$"""
        {
          "organization-name": "{{organization}}",
          "date-range": { "start-datetime": "2026-11-01T00:00:00Z", "end-datetime": "2026-11-01T23:59:59Z" },
          "contact-info": "tlsrpt@sender.example",
          "report-id": "{{reportId}}",
          "policies": [{
            "policy": {
              "policy-type": "sts",
              "policy-string": ["version: STSv1", "mode: enforce", "mx: mx1.{{policyDomain}}", "max_age: 86400"],
              "policy-domain": "{{policyDomain}}",
              "mx-host": ["mx1.{{policyDomain}}"]
            },
            "summary": { "total-successful-session-count": 120, "total-failure-session-count": 3 },
            "failure-details": [{
              "result-type": "certificate-expired",
              "sending-mta-ip": "192.0.2.10",
              "receiving-mx-hostname": "mx1.{{policyDomain}}",
              "receiving-ip": "198.51.100.7",
              "failed-session-count": 3
            }]
          }]
        }
        """;

    /// <summary>A <c>multipart/report; report-type=tlsrpt</c> message with the report gzip-compressed, as the big senders send it.</summary>
    public static MimeMessage Report(string policyDomain, string reportId, byte[]? extraAttachment = null)
        => Message(policyDomain, reportId, Gzip(Encoding.UTF8.GetBytes(ReportJson(policyDomain, reportId))), extraAttachment);

    /// <summary>The report as an HTTPS sender posts it (application/tlsrpt+gzip).</summary>
    public static byte[] GzippedReport(string policyDomain, string reportId) => Gzip(Encoding.UTF8.GetBytes(ReportJson(policyDomain, reportId)));

    /// <summary>A report message whose report part is not a report (cut-off JSON inside valid gzip).</summary>
    public static MimeMessage Unparseable(string policyDomain, string reportId)
        => Message(policyDomain, reportId, Gzip(Encoding.UTF8.GetBytes(ReportJson(policyDomain, reportId)[..60])), null);

    /// <summary>Ordinary mail to the reporting address: no report in it.</summary>
    public static MimeMessage NotAReport(string subject)
    {
        var message = new MimeMessage();
        message.From.Add(new MailboxAddress("Someone", "someone@sender.example"));
        message.To.Add(new MailboxAddress("", "tlsrpt@monitor.example"));
        message.Subject = subject;
        message.MessageId = $"{Guid.NewGuid():N}@sender.example";
        message.Body = new TextPart("plain") { Text = "Hello, is this address read by anyone?" };
        return message;
    }

    /// <summary>Random bytes (not compressible: the message really is that large on the server).</summary>
    public static byte[] RandomBytes(int count) => RandomNumberGenerator.GetBytes(count);

    private static MimeMessage Message(string policyDomain, string reportId, byte[] gzippedReport, byte[]? extraAttachment)
    {
        var message = new MimeMessage();
        message.From.Add(new MailboxAddress("TLS reports", "noreply-tlsrpt@sender.example"));
        message.To.Add(new MailboxAddress("", "tlsrpt@monitor.example"));
        message.Subject = $"Report Domain: {policyDomain} Submitter: sender.example Report-ID: <{reportId}>";
        message.MessageId = $"{Guid.NewGuid():N}@sender.example";
        message.Headers.Add("TLS-Report-Domain", policyDomain);
        message.Headers.Add("TLS-Report-Submitter", "sender.example");
        var report = new MultipartReport("tlsrpt")
        {
            new TextPart("plain") { Text = $"This is an aggregate TLS report from sender.example for {policyDomain}." },
            new MimePart("application", "tlsrpt+gzip")
            {
                Content = new MimeContent(new MemoryStream(gzippedReport)),
                ContentTransferEncoding = ContentEncoding.Base64,
                FileName = $"sender.example!{policyDomain}!1793491200!1793577599!{reportId}.json.gz",
            },
        };
        if (extraAttachment is not null)
        {
            report.Add(new MimePart("application", "octet-stream")
            {
                Content = new MimeContent(new MemoryStream(extraAttachment)),
                ContentTransferEncoding = ContentEncoding.Base64,
                FileName = "padding.bin",
            });
        }
        message.Body = report;
        return message;
    }

    private static byte[] Gzip(byte[] data)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Optimal))
            gzip.Write(data);
        return output.ToArray();
    }
}
