using MonitorService.Monitoring;
using Quartz;

namespace MonitorService.Scheduling;

/// <summary>Names of the Quartz jobs and triggers of a domain: one durable job and at most one trigger per kind.</summary>
public static class ScheduleKeys
{
    public const string JobGroup = "checks";
    public const string ScheduleGroup = "schedule";
    public const string ManualGroup = "manual";
    public const string RetryGroup = "retry";
    public const string DomainIdKey = "domainId";
    private const string NamePrefix = "domain-";

    public static string Name(Guid domainId) => NamePrefix + domainId.ToString("D");

    public static JobKey Job(Guid domainId) => new(Name(domainId), JobGroup);

    public static TriggerKey Schedule(Guid domainId) => new(Name(domainId), ScheduleGroup);

    public static TriggerKey Manual(Guid domainId) => new(Name(domainId), ManualGroup);

    public static TriggerKey Retry(Guid domainId) => new(Name(domainId), RetryGroup);

    public static IReadOnlyList<TriggerKey> AllTriggers(Guid domainId) => [Schedule(domainId), Manual(domainId), Retry(domainId)];

    public static bool TryParseDomainId(string name, out Guid domainId)
    {
        domainId = Guid.Empty;
        return name.StartsWith(NamePrefix, StringComparison.Ordinal) && Guid.TryParse(name.AsSpan(NamePrefix.Length), out domainId);
    }

    /// <summary>Why a trigger fired, from its group (unknown groups count as scheduled).</summary>
    public static CheckTrigger KindOf(TriggerKey trigger) => trigger.Group switch
    {
        ManualGroup => CheckTrigger.Manual,
        RetryGroup => CheckTrigger.Retry,
        _ => CheckTrigger.Scheduled,
    };
}
