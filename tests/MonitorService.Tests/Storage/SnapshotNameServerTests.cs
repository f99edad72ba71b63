using MonitorService.Checks.Model;
using MonitorService.Monitoring;
using MonitorService.Storage.Snapshots;

namespace MonitorService.Tests.Storage;

/// <summary>The <c>nameservers</c> report section in stored snapshots: absent (old bytes, old hashes) when null, kept when present.</summary>
public sealed class SnapshotNameServerTests
{
    [Fact]
    public void A_report_without_name_servers_stores_no_nameservers_key()
    {
        var content = CheckSnapshot.Of(SnapshotFormatTests.KnownReport()).ReportPart.Content;
        Assert.DoesNotContain("nameservers", content, StringComparison.Ordinal);
    }

    [Fact]
    public void A_report_with_name_servers_stores_and_reads_back_the_section()
    {
        var report = SnapshotFormatTests.KnownReport() with
        {
            NameServers = new NameServerSection
            {
                Consistent = false,
                Zones = [new NameServerZoneReport("example.test", ["ns1.example.test"])],
                Servers =
                [
                    new NameServerReport
                    {
                        Name = "ns1.example.test", Addresses = ["192.0.2.53"],
                        Answers = [new NameServerAddressReport
                        {
                            Zone = "example.test", Address = "192.0.2.53", Status = "answered", SoaSerial = 2026113001, Agrees = false,
                            Answers = [new NameServerAnswerReport("_mta-sts.example.test TXT", "records", ["v=STSv1; id=old"], false)],
                        }],
                    },
                ],
            },
        };

        var snapshot = CheckSnapshot.Of(report);
        var read = SnapshotContent.ReadReport(snapshot.ReportPart.Content).NameServers!;

        Assert.NotEqual(CheckSnapshot.Of(SnapshotFormatTests.KnownReport()).StateHash, snapshot.StateHash);
        var answers = read.Servers.Single().Answers.Single();
        Assert.Equal((2026113001u, false, "v=STSv1; id=old"), (answers.SoaSerial!.Value, answers.Agrees, answers.Answers.Single().Records.Single()));
    }

    [Fact]
    public void A_serial_bump_on_agreeing_servers_is_not_a_new_state_but_on_disagreeing_ones_it_is()
    {
        // A DNSSEC signer re-signs (and bumps the serial) daily or hourly: that must not start a new observation.
        Assert.Equal(CheckSnapshot.Of(WithServer(consistent: true, serial: 1)).StateHash, CheckSnapshot.Of(WithServer(consistent: true, serial: 2)).StateHash);
        // While servers disagree, which serial each serves is the evidence.
        Assert.NotEqual(CheckSnapshot.Of(WithServer(consistent: false, serial: 1)).StateHash, CheckSnapshot.Of(WithServer(consistent: false, serial: 2)).StateHash);
    }

    private static CheckReport WithServer(bool consistent, uint serial) => SnapshotFormatTests.KnownReport() with
    {
        NameServers = new NameServerSection
        {
            Consistent = consistent,
            Zones = [new NameServerZoneReport("example.test", ["ns1.example.test"])],
            Servers =
            [
                new NameServerReport
                {
                    Name = "ns1.example.test", Addresses = ["192.0.2.53"],
                    Answers = [new NameServerAddressReport { Zone = "example.test", Address = "192.0.2.53", Status = "answered", SoaSerial = serial, Agrees = consistent }],
                },
            ],
        },
    };
}
