using NodaTime;
using OnCall.Core.Feeds;

namespace OnCall.Core.Ports;

/// <summary>The reconciled calendar state of each rotation: one entry per shift ever published, and the state's version.</summary>
public interface IFeedLedger
{
    Task<IReadOnlyList<StoredFeedEntry>> LoadAsync(string rotationId, CancellationToken cancellationToken = default);

    /// <summary>
    /// The entries overlapping [<paramref name="windowStart"/>, <paramref name="windowEnd"/>), a page at a time as storage
    /// returns them (by event id): a feed is written from them without holding them all.
    /// </summary>
    IAsyncEnumerable<FeedEntry> ReadWindowAsync(string rotationId, Instant windowStart, Instant windowEnd, CancellationToken cancellationToken = default);

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

/// <summary>Renders a rotation's feed entries as an iCalendar document (UTF-8) into a stream, as the entries arrive.</summary>
public interface ICalendarFeedWriter
{
    /// <summary>Returns the number of octets written.</summary>
    Task<long> WriteAsync(Rotations.RotationSettings rotation, IAsyncEnumerable<FeedEntry> entries, Stream output, CancellationToken cancellationToken = default);
}
