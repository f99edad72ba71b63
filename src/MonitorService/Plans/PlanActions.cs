namespace MonitorService.Plans;

/// <summary>The step actions of a change plan, as the API and the CLI name them. Part of the contract: add, never rename.</summary>
public static class PlanActions
{
    /// <summary>Publish the current policy with a lower max_age, and a new id (the option of a faster next change).</summary>
    public const string LowerMaxAge = "lower-max-age";
    /// <summary>Wait until no sender can hold a policy with the longer max_age.</summary>
    public const string WaitForMaxAge = "wait-for-max-age";
    /// <summary>Publish a policy covering the old and the new MX hosts, then a new id.</summary>
    public const string PublishPolicy = "publish-policy";
    /// <summary>Wait until no sender can hold an earlier policy that does not cover the new hosts.</summary>
    public const string WaitForSenderCaches = "wait-for-sender-caches";
    /// <summary>Change the MX records to the target.</summary>
    public const string SwitchMx = "switch-mx";
    /// <summary>Remove the old hosts from the policy (and apply the target mode or max_age), then a new id.</summary>
    public const string RemoveOldHosts = "remove-old-hosts";
    /// <summary>Publish the final policy when there are no old hosts to remove (only the mode or max_age changes).</summary>
    public const string PublishFinalPolicy = "publish-final-policy";
    /// <summary>Switch from testing to enforce after a clean period.</summary>
    public const string SwitchToEnforce = "switch-to-enforce";

    /// <summary>Steps that publish a policy and a new id.</summary>
    public static bool Publishes(string action) => action is LowerMaxAge or PublishPolicy or RemoveOldHosts or PublishFinalPolicy or SwitchToEnforce;

    /// <summary>Steps that are only time passing; a check completes them once their time has come.</summary>
    public static bool Waits(string action) => action is WaitForMaxAge or WaitForSenderCaches;
}
