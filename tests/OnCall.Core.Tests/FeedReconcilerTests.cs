using NodaTime;
using OnCall.Core.Feeds;
using OnCall.Core.Rotations;
using static OnCall.Core.Tests.Rotations;

namespace OnCall.Core.Tests;

public sealed class FeedReconcilerTests
{
    private static readonly Instant Monday = Utc("2026-11-02T15:00:00Z");
    private static readonly Instant Later = Utc("2026-11-03T00:00:00Z");
    private static readonly Interval Window = new(Utc("2026-10-20T00:00:00Z"), Utc("2026-12-01T00:00:00Z"));

    [Fact]
    public void Reconcile_NewShift_PublishedAtSequenceZero()
    {
        var result = FeedReconciler.Reconcile(Current(), [], Window, Monday);

        Assert.All(result.Published, e => Assert.Equal((0, Monday, false), (e.Sequence, e.LastModified, e.Cancelled)));
    }

    [Fact]
    public void Reconcile_Unchanged_WritesNothing()
    {
        var ledger = Stored(FeedReconciler.Reconcile(Current(), [], Window, Monday));

        Assert.Empty(FeedReconciler.Reconcile(Current(), ledger, Window, Later).Changes);
    }

    [Fact]
    public void Reconcile_ShiftShortenedByOverride_BumpsSequenceAndLastModified()
    {
        var ledger = Stored(FeedReconciler.Reconcile(Current(), [], Window, Monday));
        var cover = Cover("primary", "2026-11-04T15:00:00Z", "2026-11-05T15:00:00Z", Sam);

        var result = FeedReconciler.Reconcile(Current(cover), ledger, Window, Later);

        var first = result.Published.Single(e => e.Start == Monday);
        Assert.Equal((1, Later), (first.Sequence, first.LastModified));
    }

    [Fact]
    public void Reconcile_ShiftGone_StaysPublishedAsCancelled()
    {
        var ledger = Stored(FeedReconciler.Reconcile(Current(), [], Window, Monday));

        // Sam covers the handoff, so Lin's week now starts at 17:00: the shift that started at 15:00 is gone.
        var result = FeedReconciler.Reconcile(Current(Cover("primary", "2026-11-09T14:00:00Z", "2026-11-09T17:00:00Z", Sam)), ledger, Window, Later);

        var gone = result.Published.Single(e => e.Cancelled);
        Assert.Equal(("Lin", Utc("2026-11-09T15:00:00Z"), 1), (gone.Member.Name, gone.Start, gone.Sequence));
    }

    [Fact]
    public void Reconcile_EntryOutsideWindow_IsNeitherPublishedNorCancelled()
    {
        var old = FeedEntry.FirstSeen(Shifts(Rotation(), "2026-11-02T15:00:00Z", "2026-11-02T16:00:00Z")[0], Monday) with { EventId = "0000000000000000000000000000000v", Start = Utc("2026-01-01T00:00:00Z"), End = Utc("2026-01-02T00:00:00Z") };

        var result = FeedReconciler.Reconcile(Current(), [new StoredFeedEntry(old, "etag")], Window, Later);

        Assert.DoesNotContain(result.Published, e => e.Start == old.Start);
        Assert.DoesNotContain(result.Changes, c => c.Entry.Start == old.Start);
    }

    private static IReadOnlyList<Shift> Current(params Override[] overrides) =>
        ShiftExpander.Expand(Rotation(), overrides, Window.Start, Window.End);

    private static IReadOnlyList<StoredFeedEntry> Stored(FeedReconciliation reconciliation) =>
        [.. reconciliation.Published.Select(e => new StoredFeedEntry(e, "etag"))];
}
