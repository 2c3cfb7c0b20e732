using OnCall.Core.CalendarSync;

namespace OnCall.Core.Jobs;

/// <summary>Reconciles every rotation's calendar state and writes it into Google Calendar where a rotation names a calendar.</summary>
public sealed class SyncCalendarsJob(CalendarSyncService sync) : ITimerJob
{
    public Task RunAsync(CancellationToken cancellationToken = default) => sync.SyncAllAsync(cancellationToken);
}
