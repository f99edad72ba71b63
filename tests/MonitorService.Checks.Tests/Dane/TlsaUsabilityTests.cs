using MonitorService.Checks.Dane;
using MonitorService.Checks.Dns;

namespace MonitorService.Checks.Tests.Dane;

public class TlsaUsabilityTests
{
    [Theory]
    [InlineData(2, 0, 0, 100)]
    [InlineData(2, 0, 1, 32)]
    [InlineData(2, 1, 2, 64)]
    [InlineData(3, 1, 1, 32)]
    [InlineData(3, 0, 2, 64)]
    [InlineData(3, 1, 0, 91)]
    public void Dane_usages_with_known_selectors_and_matching_types_are_usable(byte usage, byte selector, byte matchingType, int length) =>
        Assert.Null(TlsaUsability.Problem(new TlsaRecordData(usage, selector, matchingType, new byte[length])));

    [Theory]
    [InlineData(0, 0, 1, 32, "usage 0 (PKIX-TA) is unusable for SMTP")]
    [InlineData(1, 1, 1, 32, "usage 1 (PKIX-EE) is unusable for SMTP")]
    [InlineData(4, 1, 1, 32, "usage 4 is not defined")]
    [InlineData(3, 2, 1, 32, "selector 2 is not defined")]
    [InlineData(3, 1, 3, 32, "matching type 3 is not defined")]
    [InlineData(3, 1, 1, 31, "needs 32 bytes of data; this record has 31")]
    [InlineData(3, 1, 2, 32, "needs 64 bytes of data; this record has 32")]
    [InlineData(3, 1, 0, 0, "with no data matches nothing")]
    public void Other_records_are_unusable_and_say_why(byte usage, byte selector, byte matchingType, int length, string reason) =>
        Assert.Contains(reason, TlsaUsability.Problem(new TlsaRecordData(usage, selector, matchingType, new byte[length])));
}
