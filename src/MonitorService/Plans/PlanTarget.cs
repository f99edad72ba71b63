using MonitorService.Checks.Dns;
using MonitorService.Checks.Drafts;
using MonitorService.Checks.Model;

namespace MonitorService.Plans;

/// <summary>Where a domain is moving: the new MX set, and optionally a new mode or max_age (null: keep the current one).</summary>
public sealed record PlanTarget(IReadOnlyList<MxRecordData> Mx, StsMode? Mode, long? MaxAge)
{
    /// <summary>The largest max_age RFC 8461 §3.2 allows (about a year).</summary>
    public const long MaxMaxAge = 31_557_600;

    /// <summary>
    /// Validates what a user gave: <c>HOST[:PREF]</c> items (see <see cref="MxList"/>), <c>enforce</c> or
    /// <c>testing</c>, and a max_age RFC 8461 allows. Throws <see cref="PlanRequestException"/> naming the field.
    /// </summary>
    public static PlanTarget Parse(IEnumerable<string>? mx, string? mode, long? maxAge)
    {
        if (!MxList.TryParse(mx ?? [], out var records, out var error))
            throw new PlanRequestException(PlanError.Invalid, $"newMx: {error}.", "newMx");
        StsMode? parsedMode = mode switch
        {
            null or "" => null,
            "enforce" => StsMode.Enforce,
            "testing" => StsMode.Testing,
            _ => throw new PlanRequestException(PlanError.Invalid, $"mode must be enforce or testing, not '{Shorten(mode)}'.", "mode"),
        };
        if (maxAge is { } seconds && seconds is < 1 or > MaxMaxAge)
            throw new PlanRequestException(PlanError.Invalid, $"maxAge must be from 1 to {MaxMaxAge} seconds (RFC 8461 §3.2), not {seconds}.", "maxAge");
        return new PlanTarget(records, parsedMode, maxAge);
    }

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";
}
