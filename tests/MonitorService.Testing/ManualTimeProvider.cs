namespace MonitorService.Testing;

/// <summary>A clock the test moves by hand, so that cache windows and retry times can be asserted exactly.</summary>
public sealed class ManualTimeProvider(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start;

    public ManualTimeProvider() : this(new DateTimeOffset(DateTimeOffset.UtcNow.Date.AddHours(9), TimeSpan.Zero)) { }

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;
}
