using MonitorService.Checks.Model;
using MonitorService.Monitoring.Drift;

namespace MonitorService.Tests.Monitoring.Drift;

public class DaneDriftTests
{
    private const string Host = "mx1.example.com";
    private const string OldKey = "3 1 1 aaaa";
    private const string NewKey = "3 1 1 bbbb";

    private static DomainState State(params DaneHostState[] dane) => new([Host], true, "a1", null, false, dane);

    private static DaneHostState Dane(string certificate, bool? matched, bool secure = true, params string[] records) =>
        new(Host, records.Length == 0 ? [OldKey] : records, certificate, matched, secure);

    [Fact]
    public void A_new_certificate_that_no_record_matches_is_an_error_naming_the_host_and_the_time()
    {
        var events = D.Detect(State(Dane("cert-old", true)), State(Dane("cert-new", false)));

        var e = Assert.Single(events);
        Assert.Equal((DriftCodes.DaneCertMismatch, Severity.Error, Host), (e.Code, e.Severity, e.Subject));
        Assert.Contains("2026-03-14 09:12 UTC", e.Message);
        Assert.Contains("_25._tcp.mx1.example.com", e.Message);
    }

    [Fact]
    public void In_a_zone_senders_do_not_trust_yet_it_is_a_warning() =>
        Assert.Equal(Severity.Warning, Assert.Single(D.Detect(State(Dane("cert-old", true, secure: false)), State(Dane("cert-new", false, secure: false)))).Severity);

    [Fact]
    public void A_renewal_with_the_same_key_still_matching_is_no_event() =>
        Assert.Empty(D.Detect(State(Dane("cert-old", true)), State(Dane("cert-new", true))));

    [Fact]
    public void Changed_records_still_matching_are_an_info_change()
    {
        var e = Assert.Single(D.Detect(State(Dane("cert", true, records: OldKey)), State(Dane("cert", true, records: [OldKey, NewKey]))));

        Assert.Equal((DriftCodes.TlsaChanged, Severity.Info), (e.Code, e.Severity));
        Assert.Contains($"before {OldKey}; now {OldKey}, {NewKey}", e.Message);
    }

    [Fact]
    public void Changed_records_that_no_longer_match_are_an_error()
    {
        var e = Assert.Single(D.Detect(State(Dane("cert", true, records: OldKey)), State(Dane("cert", false, records: NewKey))));

        Assert.Equal((DriftCodes.TlsaChanged, Severity.Error), (e.Code, e.Severity));
    }

    [Fact]
    public void Unknown_dane_on_either_side_is_compared_with_nothing()
    {
        Assert.Empty(D.Detect(new DomainState([Host], true, "a1", null, false), State(Dane("cert-new", false))));
        Assert.Empty(D.Detect(State(Dane("cert-old", true)), new DomainState([Host], true, "a1", null, false)));
    }
}
