using System.Net;
using MonitorService.Testing.Imap;
using MonitorService.Tests.Infrastructure;
using MonitorService.TlsRpt;

namespace MonitorService.Tests.TlsRpt.Mailbox;

/// <summary>
/// The mailbox over TLS (IMAPS and STARTTLS) with a certificate from a private CA named in TlsRpt:Imap:CaFile; without
/// that file the certificate is refused and nothing is read.
/// </summary>
[Trait("Category", "Slow")]
[Collection(PostgresCollection.Name)]
public sealed class MailboxTlsTests(PostgresFixture postgres)
{
    [Fact]
    public async Task Over_TLS_and_STARTTLS_the_private_root_is_trusted_only_when_configured()
    {
        using var ca = new TestCertificateAuthority();
        using var certificate = ca.IssueLeaf(new LeafCertificateOptions { IpAddresses = [IPAddress.Loopback] });
        await using var server = await TestImapServer.StartAsync(certificate);
        var caFile = ca.WriteRootPemFile(Path.Combine(Path.GetTempPath(), $"imap-ca-{Guid.NewGuid():N}.pem"));
        try
        {
            var cs = await MailboxDatabase.CreateAsync(postgres, "mailbox_tls", "example.test");
            using (var untrusted = MailboxTestHost.Create(server, "tls", cs, s =>
            {
                s["TlsRpt:Imap:Security"] = "Tls";
                s["TlsRpt:Imap:Port"] = server.TlsPort!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }))
            {
                await server.AppendAsync(TlsRptMessages.Report("example.test", "report-tls"), untrusted.Folder);
                await untrusted.RunJobAsync();
                Assert.Empty(untrusted.Intake.Calls);
                Assert.Contains("Cannot reach", Assert.Single(untrusted.LogsWith("TLS-RPT mailbox not read")), StringComparison.Ordinal);
            }

            using (var tls = MailboxTestHost.Create(server, "tls", cs, s =>
            {
                s["TlsRpt:Imap:Security"] = "Tls";
                s["TlsRpt:Imap:Port"] = server.TlsPort!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
                s["TlsRpt:Imap:CaFile"] = caFile;
            }))
            {
                await tls.RunJobAsync();
                Assert.Equal(TlsRptIntakeOutcome.Stored, Assert.Single(tls.Intake.Calls).Result.Outcome);
            }

            using var startTls = MailboxTestHost.Create(server, "starttls", cs, s =>
            {
                s["TlsRpt:Imap:Security"] = "StartTls";
                s["TlsRpt:Imap:CaFile"] = caFile;
            });
            await server.AppendAsync(TlsRptMessages.Report("example.test", "report-starttls"), startTls.Folder);
            await startTls.RunJobAsync();
            Assert.Equal(TlsRptIntakeOutcome.Stored, Assert.Single(startTls.Intake.Calls).Result.Outcome);
            Assert.Equal(2, (await MailboxDatabase.ReportsAsync(cs)).Count);
        }
        finally
        {
            File.Delete(caFile);
        }
    }
}
