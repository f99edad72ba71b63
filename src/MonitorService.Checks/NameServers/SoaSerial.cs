namespace MonitorService.Checks.NameServers;

/// <summary>SOA serial numbers compared by serial number arithmetic (RFC 1982 §3.2): they wrap around at 2^32.</summary>
public static class SoaSerial
{
    /// <summary>True when <paramref name="a"/> is newer than <paramref name="b"/>; false for equal or undefined pairs.</summary>
    public static bool IsNewer(uint a, uint b) =>
        a != b && ((a > b && a - b < 0x8000_0000u) || (a < b && b - a > 0x8000_0000u));

    /// <summary>The serials no other one is newer than (usually one; more only in RFC 1982's undefined cases).</summary>
    public static IReadOnlySet<uint> Newest(IEnumerable<uint> serials)
    {
        var all = serials.Distinct().ToList();
        return all.Where(s => !all.Any(other => IsNewer(other, s))).ToHashSet();
    }
}
