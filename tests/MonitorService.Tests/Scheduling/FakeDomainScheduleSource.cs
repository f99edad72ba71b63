using System.Collections.Concurrent;
using MonitorService.Scheduling;

namespace MonitorService.Tests.Scheduling;

public sealed class FakeDomainScheduleSource : IDomainScheduleSource
{
    public ConcurrentDictionary<Guid, DomainScheduleEntry> Entries { get; } = new();

    public FakeDomainScheduleSource Add(DomainScheduleEntry entry)
    {
        Entries[entry.DomainId] = entry;
        return this;
    }

    public Task<IReadOnlyList<DomainScheduleEntry>> ListAsync(DateTimeOffset? changedSince, CancellationToken cancellationToken)
        => Task.FromResult<IReadOnlyList<DomainScheduleEntry>>([.. Entries.Values]);
}
