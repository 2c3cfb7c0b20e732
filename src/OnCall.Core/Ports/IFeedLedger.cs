using NodaTime;
using OnCall.Core.Feeds;

namespace OnCall.Core.Ports;

/// <summary>The reconciled calendar state of each rotation: one entry per shift ever published, and the state's version.</summary>
public interface IFeedLedger
{
    Task<IReadOnlyList<StoredFeedEntry>> LoadAsync(string rotationId, CancellationToken cancellationToken = default);

    /// <summary>Writes the changes; <see cref="Errors.ConcurrencyException"/> when another writer got there first.</summary>
    Task SaveAsync(string rotationId, IReadOnlyList<StoredFeedEntry> changes, CancellationToken cancellationToken = default);

    /// <summary>The version of the last reconciliation, or null before the first.</summary>
    Task<CalendarStateVersion?> GetStateAsync(string rotationId, CancellationToken cancellationToken = default);

    /// <summary>Records the version of a reconciliation (written after its entries, so a reader never sees a version ahead of them).</summary>
    Task SetStateAsync(string rotationId, CalendarStateVersion state, CancellationToken cancellationToken = default);

    /// <summary>Forgets everything the feed of <paramref name="rotationId"/> published.</summary>
    Task DeleteAsync(string rotationId, CancellationToken cancellationToken = default);

    /// <summary>Forgets entries that ended before <paramref name="endedBefore"/>; returns how many.</summary>
    Task<int> PruneAsync(Instant endedBefore, CancellationToken cancellationToken = default);
}

/// <summary>Renders a rotation's feed entries as an iCalendar document (UTF-8) into a stream.</summary>
public interface ICalendarFeedWriter
{
    void Write(Rotations.RotationSettings rotation, IReadOnlyList<FeedEntry> entries, Stream output);
}
