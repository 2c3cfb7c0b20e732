using NodaTime;
using OnCall.Core.Rotations;

namespace OnCall.Core.Feeds;

/// <summary>
/// What the ICS feed last published for one shift: calendar apps need SEQUENCE and LAST-MODIFIED to move
/// when a shift changes, and a shift that disappeared must stay in the feed as cancelled.
/// </summary>
public sealed record FeedEntry(
    string EventId,
    string Key,
    string Layer,
    Member Member,
    Instant Start,
    Instant End,
    bool IsOverride,
    int Sequence,
    Instant LastModified,
    bool Cancelled)
{
    public static FeedEntry FirstSeen(Shift shift, Instant now) =>
        new(shift.Key.EventId, shift.Key.ToString(), shift.Layer, shift.Member, shift.Start, shift.End, shift.IsOverride, 0, now, false);

    public bool Describes(Shift shift) =>
        !Cancelled && Member == shift.Member && Start == shift.Start && End == shift.End && IsOverride == shift.IsOverride;

    public FeedEntry Revised(Shift shift, Instant now) =>
        this with
        {
            Member = shift.Member,
            End = shift.End,
            IsOverride = shift.IsOverride,
            Sequence = Sequence + 1,
            LastModified = now,
            Cancelled = false,
        };

    public FeedEntry Cancel(Instant now) => this with { Sequence = Sequence + 1, LastModified = now, Cancelled = true };
}

/// <summary>An entry and the part of the ledger that stores it (null for one not stored yet).</summary>
public sealed record StoredFeedEntry(FeedEntry Entry, string? Chunk);
