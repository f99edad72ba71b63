using System.Buffers.Binary;
using System.Security.Cryptography;

namespace MonitorService.Scheduling;

/// <summary>
/// Where a domain's regular checks fall: on the grid Epoch + offset + k·interval, the offset derived from the domain id
/// (a hash, so sequential or time-ordered ids still spread). Every node, and every restart, computes the same grid,
/// so a trigger made anywhere fires at the same times, and checks of many domains spread over the interval.
/// All arithmetic is in whole milliseconds, the precision of the Quartz store.
/// </summary>
public static class ScheduleGrid
{
    public static readonly DateTimeOffset Epoch = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>The domain's offset within the interval: in [0, interval·jitterFraction).</summary>
    public static long OffsetMilliseconds(Guid domainId, TimeSpan interval, double jitterFraction)
    {
        var span = (long)Math.Floor(IntervalMilliseconds(interval) * Math.Clamp(jitterFraction, 0, 1));
        if (span <= 0)
        {
            return 0;
        }
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(domainId.ToByteArray(), hash);
        return (long)(BinaryPrimitives.ReadUInt64LittleEndian(hash) % (ulong)span);
    }

    /// <summary>The first grid point strictly after <paramref name="after"/>.</summary>
    public static DateTimeOffset NextAfter(Guid domainId, TimeSpan interval, double jitterFraction, DateTimeOffset after)
    {
        var step = IntervalMilliseconds(interval);
        var origin = Epoch.ToUnixTimeMilliseconds() + OffsetMilliseconds(domainId, interval, jitterFraction);
        var since = after.ToUnixTimeMilliseconds() - origin;
        var k = since < 0 ? 0 : since / step + 1;
        return DateTimeOffset.FromUnixTimeMilliseconds(origin + k * step);
    }

    /// <summary>Whether <paramref name="time"/> lies on the domain's grid.</summary>
    public static bool IsOnGrid(Guid domainId, TimeSpan interval, double jitterFraction, DateTimeOffset time)
    {
        var step = IntervalMilliseconds(interval);
        var origin = Epoch.ToUnixTimeMilliseconds() + OffsetMilliseconds(domainId, interval, jitterFraction);
        return ((time.ToUnixTimeMilliseconds() - origin) % step + step) % step == 0;
    }

    private static long IntervalMilliseconds(TimeSpan interval)
    {
        var ms = (long)interval.TotalMilliseconds;
        return ms >= 1 ? ms : throw new ArgumentOutOfRangeException(nameof(interval), interval, "The interval must be at least a millisecond.");
    }
}
