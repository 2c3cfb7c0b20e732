using OnCall.Core.CalendarSync;

namespace OnCall.Core.Ports;

/// <summary>Per rotation: the Google sync's state (calendar, list token, last run) and what it knows of our events there.</summary>
public interface ICalendarSyncStore
{
    Task<CalendarSyncState?> GetAsync(string rotationId, CancellationToken cancellationToken = default);

    /// <summary>Every rotation's state, including those of rotations deleted since (their events are still to remove).</summary>
    Task<IReadOnlyList<CalendarSyncState>> ListAsync(CancellationToken cancellationToken = default);

    /// <summary>Creates or replaces the state, checking its ETag; <see cref="Errors.ConcurrencyException"/> when it moved.</summary>
    Task<CalendarSyncState> SaveAsync(CalendarSyncState state, CancellationToken cancellationToken = default);

    /// <summary>What is known of the rotation's events, a page at a time.</summary>
    IAsyncEnumerable<MirroredEvent> ReadEventsAsync(string rotationId, CancellationToken cancellationToken = default);

    Task SaveEventsAsync(string rotationId, IReadOnlyCollection<MirroredEvent> events, CancellationToken cancellationToken = default);

    /// <summary>Forgets the events <paramref name="eventIds"/> (long past: the sync no longer looks at them).</summary>
    Task ForgetEventsAsync(string rotationId, IReadOnlyCollection<string> eventIds, CancellationToken cancellationToken = default);

    /// <summary>Forgets what is known of the events (before a full sync).</summary>
    Task ClearEventsAsync(string rotationId, CancellationToken cancellationToken = default);

    /// <summary>Forgets the rotation's state and events.</summary>
    Task DeleteAsync(string rotationId, CancellationToken cancellationToken = default);
}
