using System.Text;
using MonitorService.Checks.Dns;

namespace MonitorService.Checks.Drafts;

/// <summary>
/// What a dry run evaluates: a draft policy body and/or a hypothetical MX set (null: the published one, the live one).
/// Bounded like what senders read: a draft larger than <see cref="MaxPolicyBytes"/> is refused before any work.
/// </summary>
public sealed record PolicyDraft(string? Policy, IReadOnlyList<MxRecordData>? Mx)
{
    /// <summary>The policy fetch's limit (RFC 8461 leaves it open; senders and this checker read 64 KiB at most).</summary>
    public const int MaxPolicyBytes = 64 * 1024;

    /// <summary>Why the draft cannot be evaluated (nothing given, too large), or null.</summary>
    public string? Problem() =>
        Policy is null && Mx is null ? "give a draft policy, a hypothetical MX set, or both"
        : Policy is not null && Encoding.UTF8.GetByteCount(Policy) > MaxPolicyBytes
            ? $"the draft policy is larger than {MaxPolicyBytes / 1024} KiB, the most senders read of a policy; a policy is a few lines"
            : Policy is { Length: 0 } ? "the draft policy is empty" : null;
}
