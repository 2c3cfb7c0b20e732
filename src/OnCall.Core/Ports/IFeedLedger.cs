using NodaTime;
using OnCall.Core.Feeds;

namespace OnCall.Core.Ports;

/// <summary>
/// The reconciled calendar state of each rotation: one entry per shift ever published (until pruned), and the state's
/// version. Entries and version are committed together, so a reader never sees a version without its entries.
/// </summary>
public interface IFeedLedger
{
    /// <summary>Every entry of the rotation, its state, and the version a <see cref="CommitAsync"/> must match.</summary>
    Task<FeedLedgerSnapshot> LoadAsync(string rotationId, CancellationToken cancellationToken = default);

    /// <summary>
    /// The entries overlapping [<paramref name="windowStart"/>, <paramref name="windowEnd"/>), a part at a time as
    /// storage holds them: a feed is written from them without holding them all.
    /// </summary>
    IAsyncEnumerable<FeedEntry> ReadWindowAsync(
        string rotationId,
        Instant windowStart,
        Instant windowEnd,
        CancellationToken cancellationToken = default);

    /// <summary>
    /// Writes <paramref name="changes"/> (entries of <paramref name="basis"/> revised, and new ones) and
    /// <paramref name="state"/> as one commit; <see cref="Errors.ConcurrencyException"/> when another writer committed
    /// since <paramref name="basis"/> was loaded.
    /// </summary>
    Task CommitAsync(
        FeedLedgerSnapshot basis,
        IReadOnlyList<StoredFeedEntry> changes,
        CalendarStateVersion state,
        CancellationToken cancellationToken = default);

    /// <summary>
    /// Runs <paramref name="rewrite"/> over the rotation's ledger a part at a time (see <see cref="FeedLedgerRewrite"/>)
    /// and commits the parts it changes with the state it decides, as one commit; returns the state committed, or the
    /// stored one when the rewrite committed nothing. <see cref="Errors.ConcurrencyException"/> when another writer
    /// committed meanwhile: the rewrite saw an older ledger, so run a new one.
    /// </summary>
    Task<CalendarStateVersion?> RewriteAsync(string rotationId, FeedLedgerRewrite rewrite, CancellationToken cancellationToken = default);

    /// <summary>The version of the last reconciliation, or null before the first.</summary>
    Task<CalendarStateVersion?> GetStateAsync(string rotationId, CancellationToken cancellationToken = default);

    /// <summary>Forgets everything the feed of <paramref name="rotationId"/> published.</summary>
    Task DeleteAsync(string rotationId, CancellationToken cancellationToken = default);

    /// <summary>Forgets entries that ended before <paramref name="endedBefore"/>; returns how many.</summary>
    Task<int> PruneAsync(Instant endedBefore, CancellationToken cancellationToken = default);
}

/// <summary>
/// One load of a rotation's ledger: every entry (each with where it is stored), the state, and the version of the
/// ledger it was read at (null when nothing is stored yet).
/// </summary>
public sealed record FeedLedgerSnapshot(
    string RotationId,
    IReadOnlyList<StoredFeedEntry> Entries,
    CalendarStateVersion? State,
    string? ETag);

/// <summary>Renders a rotation's feed entries as an iCalendar document (UTF-8) into a stream, as the entries arrive.</summary>
public interface ICalendarFeedWriter
{
    /// <summary>Returns the number of octets written.</summary>
    Task<long> WriteAsync(
        Rotations.RotationSettings rotation,
        IAsyncEnumerable<FeedEntry> entries,
        Stream output,
        CancellationToken cancellationToken = default);
}
