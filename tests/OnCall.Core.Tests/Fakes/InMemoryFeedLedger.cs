using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using NodaTime;
using OnCall.Core.Errors;
using OnCall.Core.Feeds;
using OnCall.Core.Ports;
using OnCall.Core.Rotations;

namespace OnCall.Core.Tests.Fakes;

/// <summary>
/// Each rotation's feed ledger in memory: entries and state committed together under one version, a commit on a moved
/// version a <see cref="ConcurrencyException"/>, as the Table ledger does.
/// </summary>
internal sealed class InMemoryFeedLedger : IFeedLedger
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, (Dictionary<string, FeedEntry> Entries, CalendarStateVersion? State, string ETag)> _rotations =
        new(StringComparer.Ordinal);
    private int _version;

    /// <summary>When set, every commit fails with it (storage down).</summary>
    public Exception? CommitFailure { get; set; }

    /// <summary>Run, one per commit, before the commit is checked: another reconciler committing first.</summary>
    public Queue<Action> BeforeCommit { get; } = new();

    public int Commits { get; private set; }

    public List<Instant> Prunes { get; } = [];

    public List<string> Deleted { get; } = [];

    public IReadOnlyList<FeedEntry> EntriesOf(string rotationId)
    {
        lock (_lock)
        {
            return _rotations.TryGetValue(rotationId, out var row) ? [.. row.Entries.Values.OrderBy(e => e.Start)] : [];
        }
    }

    /// <summary>Another reconciler commits: the version moves.</summary>
    public void Touch(string rotationId)
    {
        lock (_lock)
        {
            var row = _rotations.TryGetValue(rotationId, out var found)
                ? found
                : (new Dictionary<string, FeedEntry>(StringComparer.Ordinal), null, "");
            _rotations[rotationId] = row with { ETag = NextVersion() };
        }
    }

    public Task<FeedLedgerSnapshot> LoadAsync(string rotationId, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return Task.FromResult(_rotations.TryGetValue(rotationId, out var row)
                ? new FeedLedgerSnapshot(
                    rotationId, [.. row.Entries.Values.Select(e => new StoredFeedEntry(e, "memory"))], row.State, row.ETag)
                : new FeedLedgerSnapshot(rotationId, [], null, null));
        }
    }

    /// <summary>How many times a window of entries was read (each enumeration started).</summary>
    public int WindowReads { get; private set; }

    public async IAsyncEnumerable<FeedEntry> ReadWindowAsync(
        string rotationId, Instant windowStart, Instant windowEnd, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        WindowReads++;
        foreach (var entry in EntriesOf(rotationId).Where(e => e.Start < windowEnd && windowStart < e.End))
        {
            await Task.Yield();
            cancellationToken.ThrowIfCancellationRequested();
            yield return entry;
        }
    }

    public Task CommitAsync(
        FeedLedgerSnapshot basis,
        IReadOnlyList<StoredFeedEntry> changes,
        CalendarStateVersion state,
        CancellationToken cancellationToken = default) =>
        CommitAsync(basis, changes, state, replace: false);

    private Task CommitAsync(FeedLedgerSnapshot basis, IReadOnlyList<StoredFeedEntry> changes, CalendarStateVersion state, bool replace)
    {
        if (CommitFailure is not null)
        {
            throw CommitFailure;
        }

        if (BeforeCommit.TryDequeue(out var before))
        {
            before();
        }

        lock (_lock)
        {
            var current = _rotations.TryGetValue(basis.RotationId, out var row) ? row.ETag : null;
            if (current != basis.ETag)
            {
                throw new ConcurrencyException("Feed ledger", basis.RotationId);
            }

            var entries = row.Entries is null || replace
                ? new Dictionary<string, FeedEntry>(StringComparer.Ordinal)
                : new Dictionary<string, FeedEntry>(row.Entries, StringComparer.Ordinal);
            foreach (var change in changes)
            {
                entries[change.Entry.EventId] = change.Entry;
            }

            _rotations[basis.RotationId] = (entries, state, NextVersion());
            Commits++;
            return Task.CompletedTask;
        }
    }

    public async Task<CalendarStateVersion?> RewriteAsync(
        string rotationId, FeedLedgerRewrite rewrite, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rewrite);
        List<FeedEntry> stored;
        CalendarStateVersion? storedState;
        string? basis;
        lock (_lock)
        {
            var found = _rotations.TryGetValue(rotationId, out var row);
            stored = found ? [.. row.Entries.Values.Order(FeedLedgerRewrite.Order)] : [];
            (storedState, basis) = found ? (row.State, row.ETag) : (null, null);
        }

        var revised = false;
        foreach (var entry in stored)
        {
            revised |= !ReferenceEquals(rewrite.Visit(entry), entry);
        }

        var state = rewrite.Finish(storedState, revised);
        if (state is null)
        {
            return storedState;
        }

        var entries = new Dictionary<string, FeedEntry>(StringComparer.Ordinal);
        foreach (var entry in stored.Select(rewrite.Revise).OfType<FeedEntry>().Concat(rewrite.Added()))
        {
            entries[entry.EventId] = entry;
        }

        var snapshot = new FeedLedgerSnapshot(rotationId, [], storedState, basis);
        await CommitAsync(snapshot, [.. entries.Values.Select(e => new StoredFeedEntry(e, "memory"))], state, replace: true);
        return state;
    }

    public Task<CalendarStateVersion?> GetStateAsync(string rotationId, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return Task.FromResult(_rotations.TryGetValue(rotationId, out var row) ? row.State : null);
        }
    }

    public Task DeleteAsync(string rotationId, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            Deleted.Add(rotationId);
            _rotations.Remove(rotationId);
            return Task.CompletedTask;
        }
    }

    public Task<int> PruneAsync(Instant endedBefore, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            Prunes.Add(endedBefore);
            var pruned = 0;
            foreach (var row in _rotations.Values)
            {
                foreach (var old in row.Entries.Values.Where(e => e.End < endedBefore).ToList())
                {
                    pruned += row.Entries.Remove(old.EventId) ? 1 : 0;
                }
            }

            return Task.FromResult(pruned);
        }
    }

    private string NextVersion() => Interlocked.Increment(ref _version).ToString(CultureInfo.InvariantCulture);
}

/// <summary>A feed writer that writes one line per entry (event id, member, cancelled), so a body shows what went in.</summary>
internal sealed class LineFeedWriter : ICalendarFeedWriter
{
    public int Writes { get; private set; }

    public async Task<long> WriteAsync(
        RotationSettings rotation, IAsyncEnumerable<FeedEntry> entries, Stream output, CancellationToken cancellationToken = default)
    {
        Writes++;
        var text = new StringBuilder().Append(CultureInfo.InvariantCulture, $"CALENDAR {rotation.Name}\n");
        await foreach (var entry in entries.WithCancellation(cancellationToken))
        {
            text.Append(CultureInfo.InvariantCulture, $"{entry.EventId} {entry.Member.Email}{(entry.Cancelled ? " cancelled" : "")}\n");
        }

        var bytes = Encoding.UTF8.GetBytes(text.ToString());
        await output.WriteAsync(bytes, cancellationToken);
        return bytes.Length;
    }
}
