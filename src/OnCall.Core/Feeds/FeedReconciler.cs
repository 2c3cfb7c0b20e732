using NodaTime;
using OnCall.Core.Rotations;

namespace OnCall.Core.Feeds;

/// <summary>The entries to publish and the ledger writes that bring it up to date.</summary>
public sealed record FeedReconciliation(IReadOnlyList<FeedEntry> Published, IReadOnlyList<StoredFeedEntry> Changes);

/// <summary>Compares the shifts computed now with what the feed published before.</summary>
public static class FeedReconciler
{
    /// <summary>Reconciles <paramref name="current"/>, every shift overlapping <paramref name="window"/>, with the ledger.</summary>
    public static FeedReconciliation Reconcile(
        IReadOnlyList<Shift> current,
        IReadOnlyList<StoredFeedEntry> ledger,
        Interval window,
        Instant now)
    {
        var byId = ledger.ToDictionary(e => e.Entry.EventId);
        var published = new List<FeedEntry>(current.Count);
        var changes = new List<StoredFeedEntry>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var shift in current)
        {
            var id = shift.Key.EventId;
            seen.Add(id);
            FeedEntry entry;
            if (!byId.TryGetValue(id, out var stored))
            {
                entry = FeedEntry.FirstSeen(shift, now);
                changes.Add(new StoredFeedEntry(entry, null));
            }
            else if (!stored.Entry.Describes(shift))
            {
                entry = stored.Entry.Revised(shift, now);
                changes.Add(stored with { Entry = entry });
            }
            else
            {
                entry = stored.Entry;
            }

            published.Add(entry);
        }

        // Only entries inside the window can be judged: outside it, nothing was computed to compare with.
        foreach (var stored in ledger)
        {
            var entry = stored.Entry;
            if (seen.Contains(entry.EventId) || !(entry.Start < window.End && window.Start < entry.End))
            {
                continue;
            }

            if (!entry.Cancelled)
            {
                entry = entry.Cancel(now);
                changes.Add(stored with { Entry = entry });
            }

            published.Add(entry);
        }

        published.Sort((a, b) => a.Start != b.Start ? a.Start.CompareTo(b.Start) : string.CompareOrdinal(a.Layer, b.Layer));
        return new FeedReconciliation(published, changes);
    }
}

/// <summary>
/// The reconciliation of <see cref="FeedReconciler"/> as a <see cref="FeedLedgerRewrite"/>: the ledger is compared
/// with the shifts a part at a time, holding only the shifts (and their event ids), never the ledger's entries.
/// </summary>
public sealed class FeedLedgerReconciliation : FeedLedgerRewrite
{
    private readonly RotationSettings _settings;
    private readonly Interval _window;
    private readonly Instant _now;
    private readonly Shift[] _shifts;
    private readonly string[] _ids;
    private readonly Dictionary<string, int> _byId;
    private readonly bool[] _seen;
    private readonly FeedVersion _version = new();
    private int _added;

    /// <param name="settings">The rotation's settings: their texts are part of the version.</param>
    /// <param name="current">Every shift overlapping <paramref name="window"/>.</param>
    /// <param name="window">The feed's window: stored entries inside it that no shift matches are cancelled.</param>
    /// <param name="now">When: new and revised entries are last modified then.</param>
    public FeedLedgerReconciliation(RotationSettings settings, IReadOnlyList<Shift> current, Interval window, Instant now)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(current);
        _settings = settings;
        _window = window;
        _now = now;
        var ids = current.Select(s => s.Key.EventId).ToArray();
        var order = Enumerable.Range(0, current.Count).ToArray();
        Array.Sort(order, (a, b) =>
        {
            var byLayer = string.CompareOrdinal(current[a].Layer, current[b].Layer);
            var byStart = current[a].Start.CompareTo(current[b].Start);
            return byLayer != 0 ? byLayer : byStart != 0 ? byStart : string.CompareOrdinal(ids[a], ids[b]);
        });
        _shifts = [.. order.Select(i => current[i])];
        _ids = [.. order.Select(i => ids[i])];
        _byId = new Dictionary<string, int>(_ids.Length, StringComparer.Ordinal);
        for (var i = 0; i < _ids.Length; i++)
        {
            _byId.TryAdd(_ids[i], i);
        }

        _seen = new bool[_ids.Length];
    }

    /// <summary>The state <see cref="Finish"/> decided: new, or the stored one when nothing changed.</summary>
    public CalendarStateVersion? State { get; private set; }

    public override FeedEntry? Revise(FeedEntry stored)
    {
        ArgumentNullException.ThrowIfNull(stored);
        if (_byId.TryGetValue(stored.EventId, out var i))
        {
            return stored.Describes(_shifts[i]) ? stored : stored.Revised(_shifts[i], _now);
        }

        // Only entries inside the window can be judged: outside it, nothing was computed to compare with.
        return !stored.Cancelled && InWindow(stored) ? stored.Cancel(_now) : stored;
    }

    public override FeedEntry? Visit(FeedEntry stored)
    {
        var entry = Revise(stored)!;
        if (_byId.TryGetValue(entry.EventId, out var i))
        {
            _seen[i] = true;
            _version.Add(entry);
        }
        else if (InWindow(entry))
        {
            _version.Add(entry);
        }

        return entry;
    }

    public override CalendarStateVersion? Finish(CalendarStateVersion? stored, bool revised)
    {
        for (var i = 0; i < _shifts.Length; i++)
        {
            if (!_seen[i])
            {
                _added++;
                _version.Add(FeedEntry.FirstSeen(_shifts[i], _now));
            }
        }

        var version = _version.Result(_settings);

        // The window moves every run; only changed entries or a changed body need a commit.
        if (revised || _added > 0 || stored is null || stored.Version != version)
        {
            State = new CalendarStateVersion(version, _window.Start, _window.End, _now);
            return State;
        }

        State = stored;
        return null;
    }

    public override IEnumerable<FeedEntry> Added()
    {
        for (var i = 0; i < _shifts.Length; i++)
        {
            if (!_seen[i])
            {
                yield return FeedEntry.FirstSeen(_shifts[i], _now);
            }
        }
    }

    private bool InWindow(FeedEntry entry) => entry.Start < _window.End && _window.Start < entry.End;
}
