using System.Text;
using MonitorService.Checks.Smtp;

namespace MonitorService.Checks.Tests.Net;

public class SmtpReplyMeterTests
{
    public static TheoryData<string, string?> Replies => new()
    {
        { "220 mx.example ESMTP\r\n", null },
        { "250-mx\r\n250-PIPELINING\r\n250 STARTTLS\r\n", null },
        { "250\r\n", null },
        // Many replies in a row are fine: the limits are per reply.
        { string.Concat(Enumerable.Repeat("250-x\r\n250 y\r\n", 500)), null },
        { "220 " + new string('x', 4090) + "\r\n", null },
        { "220 " + new string('x', 5000) + "\r\n", "a reply line may be at most 4 KiB" },
        { "220 " + new string('x', 5000), "a reply line may be at most 4 KiB" },
        { string.Concat(Enumerable.Repeat("250-x\r\n", 100)) + "250 end\r\n", "a reply may be at most 100 lines" },
        { string.Concat(Enumerable.Repeat("250-x\r\n", 99)) + "250 end\r\n", null },
        { string.Concat(Enumerable.Repeat("250-" + new string('x', 1000) + "\r\n", 70)), "a reply may be at most 64 KiB" },
        // A bare LF ends a line too (MailKit accepts it); a line "250-" alone continues the reply.
        { string.Concat(Enumerable.Repeat("250-\n", 100)) + "250 end\n", "a reply may be at most 100 lines" },
    };

    [Theory]
    [MemberData(nameof(Replies))]
    public void Replies_past_a_limit_are_cut_off(string replies, string? expectedLimit)
    {
        var meter = new SmtpReplyMeter();
        var bytes = Encoding.ASCII.GetBytes(replies);

        // In small reads, as from a socket: the limits must hold across read boundaries.
        var error = Record.Exception(() =>
        {
            for (var i = 0; i < bytes.Length; i += 7)
                meter.Observe(bytes.AsSpan(i, Math.Min(7, bytes.Length - i)));
        });

        Assert.Equal(expectedLimit, (error as SmtpReadLimitException)?.Limit);
        if (expectedLimit is null)
            Assert.Null(error);
    }
}
