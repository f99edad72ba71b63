namespace MonitorService.Checks.Drafts;

/// <summary>Finding codes only a dry run gives (a real check never does). Part of the contract: add, never rename.</summary>
public static class DraftCodes
{
    /// <summary>Warning: the draft differs from the published policy, so it needs a new TXT id (published after it).</summary>
    public const string NewIdNeeded = "DRAFT_NEW_ID_NEEDED";
    /// <summary>Info: the draft is the published policy (line endings aside): nothing to publish, no new id.</summary>
    public const string Unchanged = "DRAFT_UNCHANGED";
    /// <summary>Error (enforce) / warning (testing): senders holding the current policy would refuse a hypothetical MX host.</summary>
    public const string CachedPolicyRefuses = "DRAFT_CACHED_POLICY_REFUSES";
    /// <summary>Warning: the draft does not cover a live MX host the hypothetical set drops: publish it only after the switch.</summary>
    public const string LiveMxNotCovered = "DRAFT_LIVE_MX_NOT_COVERED";
}
