using System.Diagnostics;
using MonitorService.Checks.Model;
using MonitorService.Checks.Net;
using MonitorService.Checks.Smtp;
using static MonitorService.Testing.CheckEnvironment;

namespace MonitorService.Checks.Tests.Integration;

/// <summary>
/// An MX is attacker-controlled: one that never stops sending must cost the monitor a bounded amount of memory and
/// time, be reported for what it did, and not take the rest of the check down with it.
/// </summary>
public class SmtpFloodTests
{
    /// <summary>
    /// What the server can have handed to its socket before the probe's hang-up reaches it: what the probe read, plus
    /// what fits in the probe's receive buffer and the server's send buffer (both fixed, both doubled by Linux for
    /// bookkeeping), plus one chunk in flight. Deterministic: no timing, no process memory.
    /// </summary>
    private const long ServerSentBound = SmtpReadLimits.MaxProbeBytes + 2 * GuardedConnector.ReceiveBufferBytes
        + 2 * SmtpTestServer.FloodSendBufferBytes + 16 * 1024;

    [Theory]
    [InlineData(SmtpBehavior.FloodGreeting, "the greeting", "a reply may be at most 100 lines")]
    [InlineData(SmtpBehavior.FloodEhlo, "the reply to EHLO", "a reply may be at most 100 lines")]
    [InlineData(SmtpBehavior.FloodEhloAfterTls, "the reply to EHLO after STARTTLS", "a reply may be at most 100 lines")]
    [InlineData(SmtpBehavior.LongGreetingLine, "the greeting", "a reply line may be at most 4 KiB")]
    [InlineData(SmtpBehavior.GreetingWithoutLineEnd, "the greeting", "a reply line may be at most 4 KiB")]
    public async Task A_flooding_mx_is_cut_off_and_reported_and_the_rest_of_the_check_stands(SmtpBehavior behavior, string stage, string limit)
    {
        await using var env = (await StartAsync()).PublishHealthyDomain();
        env.Smtp.SetBehavior(Mx2Ip, behavior);
        var checker = DomainChecker.Create(env.Options(), TimeProvider.System);

        var started = Stopwatch.GetTimestamp();
        var report = await checker.CheckAsync(Domain);

        Assert.True(Stopwatch.GetElapsedTime(started) < checker.CheckDeadline);
        var finding = report.Single(FindingCodes.SmtpReplyTooLarge, Mx2);
        Assert.Equal(Severity.Error, finding.Severity);
        Assert.Contains($"{stage} did not end within the probe's limits ({limit})", finding.Message, StringComparison.Ordinal);
        Assert.Contains("The probe stopped reading after", finding.Message, StringComparison.Ordinal);
        AssertRestOfCheckReported(report);

        var connection = Assert.Single(env.Smtp.ConnectionsTo(Mx2Ip));
        await connection.Closed.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.InRange(connection.BytesSent, 1, ServerSentBound);
    }

    [Fact]
    public async Task A_greeting_that_trickles_forever_is_cut_off_by_the_dialogue_limit()
    {
        await using var env = (await StartAsync()).PublishHealthyDomain();
        env.Smtp.SetBehavior(Mx2Ip, SmtpBehavior.TrickleGreeting);
        // 3 s per operation, so the policy fetch beside the 9 s of trickling has room on a busy machine.
        var checker = DomainChecker.Create(env.Options(o => o.TimeoutSeconds = 3), TimeProvider.System);

        var started = Stopwatch.GetTimestamp();
        var report = await checker.CheckAsync(Domain);

        Assert.True(Stopwatch.GetElapsedTime(started) < checker.CheckDeadline);
        Assert.Contains("did not complete the dialogue within 9 s", report.Single(FindingCodes.SmtpUnreachable, Mx2).Message, StringComparison.Ordinal);
        AssertRestOfCheckReported(report);
    }

    [Fact]
    public async Task A_long_reply_within_the_read_limits_is_quoted_only_in_part()
    {
        await using var env = (await StartAsync()).PublishHealthyDomain();
        env.Smtp.SetBehavior(Mx2Ip, SmtpBehavior.LongStartTlsRefusal);

        var report = await env.CheckAsync();

        // The reply (about 60 KiB of server text) is what MailKit's error carries; reports and snapshots keep a bounded part.
        var finding = report.Single(FindingCodes.SmtpTlsFailed, Mx2);
        Assert.InRange(finding.Message.Length, 1, 1024);
        Assert.InRange(report.Mx.Single(m => m.Host == Mx2).Tls!.Error!.Length, 1, 512);
    }

    private static void AssertRestOfCheckReported(CheckReport report)
    {
        report.Lacks(FindingCodes.CheckTimeout);
        Assert.True(report.Policy?.HttpStatus == 200, ReportAssertions.Describe(report));
        Assert.Equal("enforce", report.Policy?.Mode);
        Assert.NotNull(report.TlsRpt);
        Assert.True(report.Mx.Single(m => m.Host == Mx1).Tls?.Certificate?.Trusted);
        Assert.DoesNotContain(report.Findings, f => f.Subject == Mx1);
    }
}
