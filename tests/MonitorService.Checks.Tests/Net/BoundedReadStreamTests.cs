using MonitorService.Checks.Smtp;

namespace MonitorService.Checks.Tests.Net;

public class BoundedReadStreamTests
{
    [Fact]
    public async Task Hands_out_exactly_the_budget_then_fails_every_read()
    {
        var stream = new BoundedReadStream(new MemoryStream(new byte[1024 * 1024]), 10_000, CancellationToken.None);
        var buffer = new byte[4096];
        var total = 0;

        var error = await Record.ExceptionAsync(async () =>
        {
            while (true)
                total += await stream.ReadAsync(buffer);
        });

        Assert.Equal(10_000, total);
        Assert.Equal(10_000, stream.BytesRead);
        Assert.Equal("a probe reads at most 9 KiB in all", Assert.IsType<SmtpReadLimitException>(error).Limit);
        Assert.Throws<SmtpReadLimitException>(() => stream.Read(buffer, 0, buffer.Length));
    }

    [Fact]
    public async Task A_passed_deadline_stops_reads_even_when_data_is_waiting()
    {
        using var deadline = new CancellationTokenSource();
        var stream = new BoundedReadStream(new MemoryStream(new byte[1024 * 1024]), 1024 * 1024, deadline.Token);
        var buffer = new byte[4096];
        await stream.ReadExactlyAsync(buffer);

        await deadline.CancelAsync();

        // The reader above passes no token at all: the stream observes the deadline itself.
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await stream.ReadExactlyAsync(buffer, CancellationToken.None));
        Assert.Equal(4096, stream.BytesRead);
    }
}
