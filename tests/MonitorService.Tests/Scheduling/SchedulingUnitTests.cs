using MonitorService.Monitoring;
using MonitorService.Scheduling;
using Quartz;
using SchedulingOptions = MonitorService.Scheduling.SchedulingOptions;

namespace MonitorService.Tests.Scheduling;

public sealed class SchedulingUnitTests
{
    [Fact]
    public void Schema_script_has_the_prefix_and_no_drops_or_placeholders()
    {
        Assert.Contains("qrtz_job_details", QuartzSchema.CreateIfMissingScript, StringComparison.Ordinal);
        Assert.Contains("qrtz_triggers", QuartzSchema.CreateIfMissingScript, StringComparison.Ordinal);
        Assert.DoesNotContain("{0}", QuartzSchema.CreateIfMissingScript, StringComparison.Ordinal);
        Assert.DoesNotContain("{1}", QuartzSchema.CreateIfMissingScript, StringComparison.Ordinal);
        Assert.DoesNotMatch(@"(?im)^\s*DROP\s", QuartzSchema.CreateIfMissingScript);
    }

    [Fact]
    public void Drop_statements_are_removed()
    {
        const string script = "DROP TABLE IF EXISTS {0}locks;\n  drop index x;\nCREATE TABLE {0}locks (a int);\n";
        var cleaned = QuartzSchema.WithoutDrops(QuartzSchema.SubstitutePrefix(script));
        Assert.Equal("CREATE TABLE qrtz_locks (a int);\n", cleaned);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(5001)]
    public void Reconcile_batch_size_is_bounded(int size)
        => Assert.Contains(new SchedulingOptions { ReconcileBatchSize = size }.Validate(), e => e.Contains("ReconcileBatchSize", StringComparison.Ordinal));

    [Theory]
    [InlineData(0)]
    [InlineData(double.NaN)]
    [InlineData(20_000)]
    public void First_checks_per_second_is_bounded(double rate)
        => Assert.Contains(new SchedulingOptions { FirstChecksPerSecond = rate }.Validate(), e => e.Contains("FirstChecksPerSecond", StringComparison.Ordinal));

    [Fact]
    public void Default_options_are_valid_and_bad_ones_are_named()
    {
        Assert.Empty(new SchedulingOptions().Validate());
        var errors = new SchedulingOptions
        {
            MaxConcurrentChecks = 0, InstanceName = " ", JitterFraction = 1.5, MinimumRetryDelay = TimeSpan.Zero,
            CheckinInterval = TimeSpan.Zero, MisfireThreshold = TimeSpan.Zero,
        }.Validate();
        Assert.Equal(6, errors.Count);
        Assert.Contains(errors, e => e.Contains("MaxConcurrentChecks", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("JitterFraction", StringComparison.Ordinal));
        Assert.Throws<ArgumentException>(() => new SchedulingOptions { MaxConcurrentChecks = 0 }.ThrowIfInvalid());
    }

    [Fact]
    public void Grid_is_deterministic_and_spreads_domains_over_the_interval()
    {
        var interval = TimeSpan.FromHours(1);
        var now = DateTimeOffset.UtcNow;
        var id = Guid.NewGuid();
        var first = ScheduleGrid.NextAfter(id, interval, 1.0, now);
        Assert.Equal(first, ScheduleGrid.NextAfter(id, interval, 1.0, now.AddMinutes(-3) > first.AddHours(-1) ? now.AddMinutes(-3) : now));
        Assert.True(first > now && first <= now + interval);
        Assert.True(ScheduleGrid.IsOnGrid(id, interval, 1.0, first));
        Assert.True(ScheduleGrid.IsOnGrid(id, interval, 1.0, first.AddHours(5)));
        Assert.False(ScheduleGrid.IsOnGrid(id, interval, 1.0, first.AddSeconds(1)));
        // computed later (another node, a restart) it is the same grid
        Assert.Equal(first.AddHours(1), ScheduleGrid.NextAfter(id, interval, 1.0, first));

        // 1000 domains: the minutes of the hour they fall on are spread, not bunched at the top of the hour
        var minutes = Enumerable.Range(0, 1000).Select(_ => ScheduleGrid.OffsetMilliseconds(Guid.NewGuid(), interval, 1.0) / 60_000).ToList();
        Assert.True(minutes.Distinct().Count() > 50);
        Assert.True(minutes.Count(m => m == 0) < 100);
        Assert.Equal(0, ScheduleGrid.OffsetMilliseconds(id, interval, 0));
    }

    [Fact]
    public void Keys_round_trip_and_groups_give_the_trigger_kind()
    {
        var id = Guid.NewGuid();
        Assert.True(ScheduleKeys.TryParseDomainId(ScheduleKeys.Job(id).Name, out var parsed));
        Assert.Equal(id, parsed);
        Assert.Equal("checks", ScheduleKeys.Job(id).Group);
        Assert.Equal(CheckTrigger.Scheduled, ScheduleKeys.KindOf(ScheduleKeys.Schedule(id)));
        Assert.Equal(CheckTrigger.Manual, ScheduleKeys.KindOf(ScheduleKeys.Manual(id)));
        Assert.Equal(CheckTrigger.Retry, ScheduleKeys.KindOf(ScheduleKeys.Retry(id)));
        Assert.False(ScheduleKeys.TryParseDomainId("other", out _));
        Assert.Equal(new JobKey("domain-" + id, "checks"), ScheduleKeys.Job(id));
    }
}
