using MonitorService.Checks.Model;
using MonitorService.Monitoring;
using MonitorService.Storage.Snapshots;

namespace MonitorService.Tests.Storage;

/// <summary>
/// Pins the stored snapshot format. Every stored part is content-addressed: if serialising the same report gave
/// different bytes, every domain would look changed at its next check. A failure here means the format changed:
/// make that a deliberate migration (rewrite stored snapshots), not a side effect.
/// </summary>
public sealed class SnapshotFormatTests
{
    private static readonly DateTimeOffset Expiry = new(2027, 3, 1, 12, 0, 0, TimeSpan.Zero);

    internal static CheckReport KnownReport() => new()
    {
        Domain = "example.test",
        CheckedAt = new DateTimeOffset(2026, 11, 30, 6, 0, 0, TimeSpan.Zero),
        Txt = new TxtSection(["v=STSv1; id=20261130"], "20261130"),
        Policy = new PolicySection
        {
            Url = "https://mta-sts.example.test/.well-known/mta-sts.txt",
            Mode = "enforce",
            MaxAge = 604800,
            Mx = ["mx1.example.test", "*.backup.example.test"],
            Raw = "version: STSv1\r\nmode: enforce\r\nmx: mx1.example.test\r\nmx: *.backup.example.test\r\nmax_age: 604800\r\n",
            HttpStatus = 200,
            ContentType = "text/plain",
            Address = "192.0.2.10",
            Certificate = Certificate("mta-sts.example.test"),
            ElapsedMs = 12.5,
        },
        Mx =
        [
            new MxHostReport
            {
                Host = "mx1.example.test.", Preference = 10, Covered = true, CoveredBy = "mx1.example.test", Addresses = ["192.0.2.25"],
                Tls = new TlsReport
                {
                    Address = "192.0.2.25", Connected = true, Greeting = "220 mx1 ESMTP session 42", Starttls = true,
                    Protocol = "TLS 1.3", CipherSuite = "TLS_AES_256_GCM_SHA384", Certificate = Certificate("mx1.example.test"),
                },
            },
            new MxHostReport { Host = "mx2.backup.example.test", Preference = 20, Covered = true, CoveredBy = "*.backup.example.test", Cname = "relay.example.net", Addresses = ["192.0.2.26"] },
        ],
        TlsRpt = new TlsRptSection(["v=TLSRPTv1; rua=mailto:tlsrpt@example.test"], ["mailto:tlsrpt@example.test"]),
        Findings = [new Finding("SMTP_TLS_VERSION_OLD", Severity.Warning, "mx1.example.test", "An <old> \"protocol\" & more", "RFC 8996", "Turn it off.")],
    };

    private static CertificateReport Certificate(string host) => new()
    {
        Subject = $"CN={host}",
        Issuer = "CN=Test CA",
        DnsNames = [host],
        NotBefore = Expiry.AddDays(-90),
        NotAfter = Expiry,
        Sha256Fingerprint = new string('a', 64),
        Trusted = true,
        MatchesHost = true,
    };

    [Fact]
    public void Parts_of_a_known_report_keep_their_hashes()
    {
        var snapshot = CheckSnapshot.Of(KnownReport());

        Assert.Equal(
        [
            "mx:4623bfacafa172dc66b6da2d21b575dbb1bbef568f460de907b36eba1d6668f5",
            "txt:f1e22c90eaededda108234403fbe54070ac3c6cdc4edec23e01435f38541423c",
            "policy:321bbbd6015eac5f8ad1e4df81b33a0e9d234246a346ac16cba9948cce40678b",
            "tlsrpt:42cd4022d43afd5343cc99af9e6e298708808435499aa4a94de376a9831908c4",
            "certificates:bbf00085d97351f9a67c66f2685abbf882465637c1b321a598fa0acd6a7cd630",
            "report:cb911e573117d8b25619a03f1e6d70540a44a2ded87fa73228f5af7d8d153cd8",
        ], snapshot.Parts.Select(p => $"{p!.Kind}:{p.Hash}"));
        Assert.Equal("0a397fefe867e2dca4d67a507eaed1375f17fbfe19010324608bc97ccf038684", snapshot.StateHash);
    }

    [Fact]
    public void Stored_parts_read_back_as_typed_values()
    {
        var snapshot = CheckSnapshot.Of(KnownReport());

        Assert.Equal(
            [new StoredMxHost(10, "mx1.example.test", null, ["192.0.2.25"]), new StoredMxHost(20, "mx2.backup.example.test", "relay.example.net", ["192.0.2.26"])],
            SnapshotContent.ReadMx(snapshot.Mx!.Content), StoredMxHostComparer.Instance);
        Assert.Equal(["mx1.example.test", "mx2.backup.example.test"], SnapshotContent.ReadMxHosts(snapshot.Mx!.Content));

        var policy = SnapshotContent.ReadPolicy(snapshot.Policy!.Content);
        Assert.Equal((200, "text/plain", true, new string('a', 64)), (policy.HttpStatus, policy.ContentType, policy.Valid, policy.CertificateFingerprint));
        Assert.Equal(KnownReport().Policy!.Raw, SnapshotContent.ReadPolicyBody(snapshot.Policy!.Content));

        var certificates = SnapshotContent.ReadCertificates(snapshot.Certificates.Content);
        Assert.Equal(["mta-sts.example.test", "mx1.example.test."], certificates.Select(c => c.Host));
        Assert.All(certificates, c => Assert.Equal(Expiry, c.NotAfter));

        var report = SnapshotContent.ReadReport(snapshot.ReportPart.Content);
        Assert.Equal(("example.test", "warning", "enforce", 604800L), (report.Domain, report.Status, report.Policy!.Mode, report.Policy.MaxAge));
        Assert.Null(report.Mx[0].Tls!.Greeting); // per-check noise is not stored
        Assert.Equal("An <old> \"protocol\" & more", report.Findings[0].Message);
    }

    [Fact]
    public void A_policy_response_without_a_body_reads_as_an_empty_body()
    {
        var report = KnownReport() with { Policy = KnownReport().Policy! with { HttpStatus = 404, Raw = null } };
        Assert.Equal("", SnapshotContent.ReadPolicyBody(CheckSnapshot.Of(report).Policy!.Content));
    }

    private sealed class StoredMxHostComparer : IEqualityComparer<StoredMxHost>
    {
        public static readonly StoredMxHostComparer Instance = new();
        public bool Equals(StoredMxHost? x, StoredMxHost? y) =>
            x is not null && y is not null && (x.Preference, x.Host, x.Cname) == (y.Preference, y.Host, y.Cname) && x.Addresses.SequenceEqual(y.Addresses);
        public int GetHashCode(StoredMxHost obj) => obj.Host.GetHashCode(StringComparison.Ordinal);
    }
}

/// <summary>DANE in stored snapshots: only hosts that publish TLSA records carry an entry, so other reports keep their hashes.</summary>
public sealed class DaneSnapshotFormatTests
{
    [Fact]
    public void A_dane_entry_is_stored_with_the_report_and_leaves_the_other_parts_alone()
    {
        var plain = SnapshotFormatTests.KnownReport();
        var dane = new DaneReport
        {
            TlsaName = "_25._tcp.mx1.example.test",
            Records = [new TlsaRecordReport(3, 1, 1, new string('b', 64), true, true, null)],
            Usable = true,
            Matched = true,
            Secure = true,
            Status = DaneStatuses.Matched,
            Dnssec = new DaneSecurity("secure", "secure", "secure"),
        };
        var withDane = plain with { Mx = [plain.Mx[0] with { Dane = dane }, plain.Mx[1]] };

        var before = CheckSnapshot.Of(plain);
        var after = CheckSnapshot.Of(withDane);

        Assert.DoesNotContain("\"dane\"", before.ReportPart.Content, StringComparison.Ordinal);
        Assert.NotEqual(before.ReportPart.Hash, after.ReportPart.Hash);
        Assert.Equal((before.Mx!.Hash, before.Certificates.Hash), (after.Mx!.Hash, after.Certificates.Hash));
        var stored = SnapshotContent.ReadReport(after.ReportPart.Content).Mx[0].Dane!;
        Assert.Equal((DaneStatuses.Matched, "3 1 1"), (stored.Status, $"{stored.Records[0].Usage} {stored.Records[0].Selector} {stored.Records[0].MatchingType}"));
        Assert.Null(SnapshotContent.ReadReport(after.ReportPart.Content).Mx[1].Dane);
    }
}
