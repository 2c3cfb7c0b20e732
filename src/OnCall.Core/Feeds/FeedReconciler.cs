using NodaTime;
using OnCall.Core.Rotations;

namespace OnCall.Core.Feeds;

/// <summary>The entries to publish and the ledger writes that bring it up to date.</summary>
public sealed record FeedReconciliation(IReadOnlyList<FeedEntry> Published, IReadOnlyList<StoredFeedEntry> Changes);

/// <summary>Compares the shifts computed now with what the feed published before.</summary>
public static class FeedReconciler
{
    /// <summary>Reconciles <paramref name="current"/>, every shift overlapping <paramref name="window"/>, with the ledger.</summary>
    public static FeedReconciliation Reconcile(IReadOnlyList<Shift> current, IReadOnlyList<StoredFeedEntry> ledger, Interval window, Instant now)
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
