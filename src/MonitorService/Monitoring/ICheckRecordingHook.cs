using MonitorService.Storage;
using MonitorService.Storage.Entities;

namespace MonitorService.Monitoring;

/// <summary>
/// Work that must commit in the same transaction as a recorded check, such as queuing alert mail in the outbox:
/// either both are stored or neither is.
/// </summary>
public interface ICheckRecordingHook
{
    Task OnRecordingAsync(MonitorDbContext db, MonitoredDomain domain, MonitoredCheckResult result, CancellationToken cancellationToken);
}
