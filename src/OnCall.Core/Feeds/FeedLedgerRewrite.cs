namespace OnCall.Core.Feeds;

/// <summary>
/// One rewrite of a rotation's ledger, as <see cref="Ports.IFeedLedger.RewriteAsync"/> runs it a part of the ledger at
/// a time, so neither the ledger nor the rewrite ever holds every entry: each stored entry is <see cref="Visit"/>ed
/// once; <see cref="Finish"/> then says whether anything is to be committed; if so, the parts that change are read
/// again, their entries <see cref="Revise"/>d, and the <see cref="Added"/> entries (in <see cref="Order"/>) join the
/// part whose range they fall in.
/// </summary>
public abstract class FeedLedgerRewrite
{
    /// <summary>The order the ledger keeps entries in: layer, start, event id (ordinal).</summary>
    public static readonly Comparer<FeedEntry> Order = Comparer<FeedEntry>.Create((a, b) =>
    {
        var byLayer = string.CompareOrdinal(a?.Layer, b?.Layer);
        if (byLayer != 0 || a is null || b is null)
        {
            return byLayer;
        }

        var byStart = a.Start.CompareTo(b.Start);
        return byStart != 0 ? byStart : string.CompareOrdinal(a.EventId, b.EventId);
    });

    /// <summary>
    /// What <paramref name="stored"/> becomes: the same instance when unchanged, a revision of it (same event id,
    /// layer and start), or null to forget it. Without side effects: asked again when its part is rewritten.
    /// </summary>
    public abstract FeedEntry? Revise(FeedEntry stored);

    /// <summary>Asked exactly once per stored entry, before <see cref="Finish"/>; by default <see cref="Revise"/>.</summary>
    public virtual FeedEntry? Visit(FeedEntry stored) => Revise(stored);

    /// <summary>
    /// After every stored entry was visited: the state to commit, or null to commit nothing. <paramref name="revised"/>
    /// tells whether some stored entry is revised or forgotten; <paramref name="stored"/> is the state read.
    /// </summary>
    public abstract CalendarStateVersion? Finish(CalendarStateVersion? stored, bool revised);

    /// <summary>
    /// New entries (no stored entry has their event id), in <see cref="Order"/>; enumerated once, after <see
    /// cref="Finish"/>.
    /// </summary>
    public virtual IEnumerable<FeedEntry> Added() => [];
}
