namespace MonitorService.Checks.Model;

/// <summary>Policy modes of RFC 8461 §3.2.</summary>
public enum StsMode { Enforce, Testing, None }

/// <summary>
/// A parsed MTA-STS policy body. Fields are null when missing or invalid; <see cref="IsUsable"/> says whether a
/// sender would accept the policy at all (RFC 8461 §3.2: a policy with a missing or invalid required field is invalid).
/// </summary>
/// <param name="Version">Value of <c>version</c> as written (first occurrence), or null.</param>
/// <param name="Mode">Parsed <c>mode</c>, or null when missing/invalid.</param>
/// <param name="MaxAge">Parsed <c>max_age</c> in seconds, or null when missing/invalid.</param>
/// <param name="Mx">Every <c>mx</c> value in order, valid or not (as written, trimmed).</param>
/// <param name="IsUsable">True when version, mode, max_age are valid and mx is present unless mode is none.</param>
public sealed record StsPolicy(string? Version, StsMode? Mode, long? MaxAge, IReadOnlyList<string> Mx, bool IsUsable)
{
    public static string ModeName(StsMode mode) => mode switch
    {
        StsMode.Enforce => "enforce",
        StsMode.Testing => "testing",
        _ => "none",
    };
}
