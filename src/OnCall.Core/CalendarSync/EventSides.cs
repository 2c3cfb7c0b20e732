using System.Runtime.InteropServices;
using NodaTime;

namespace OnCall.Core.CalendarSync;

/// <summary>
/// Both sides of each of our event ids in one table: the one the ledger wants and the one last seen in Google. An id is
/// held once, and so is the hash of an event Google shows as wanted: the largest rotation has some 88,000 events, and
/// two tables of them (ids and hashes twice) were most of a sync's memory.
/// </summary>
internal sealed class EventSides
{
    private readonly Dictionary<string, Sides> _byId = new(StringComparer.Ordinal);

    /// <summary>The event as the ledger wants it: its content hash and its end.</summary>
    public void Want(string id, string hash, Instant end)
    {
        ref var sides = ref CollectionsMarshal.GetValueRefOrAddDefault(_byId, id, out _);
        sides.WantedHash = hash;
        sides.WantedEnd = end;
    }

    /// <summary>The event as Google has it, as read or written.</summary>
    public void Know(MirroredEvent known)
    {
        ArgumentNullException.ThrowIfNull(known);
        ref var sides = ref CollectionsMarshal.GetValueRefOrAddDefault(_byId, known.Id, out _);
        sides.KnownHash = known.Hash == sides.WantedHash ? sides.WantedHash : known.Hash;
        sides.KnownCancelled = known.Cancelled;
        sides.KnownEnd = known.End;
    }

    /// <summary>Forgets Google's side of every event (before listing everything again).</summary>
    public void ForgetKnown()
    {
        foreach (var id in _byId.Keys.ToList())
        {
            ref var sides = ref CollectionsMarshal.GetValueRefOrNullRef(_byId, id);
            if (sides.IsWanted)
            {
                sides.KnownHash = null;
            }
            else
            {
                _byId.Remove(id);
            }
        }
    }

    public Instant? WantedEnd(string id) => _byId.TryGetValue(id, out var sides) && sides.IsWanted ? sides.WantedEnd : null;

    public MirroredEvent? Known(string id) => _byId.TryGetValue(id, out var sides) ? sides.Known(id) : null;

    public IEnumerable<KeyValuePair<string, Sides>> All => _byId;

    /// <summary>One event id's two sides; a side not there has a null hash.</summary>
    public struct Sides
    {
        public string? WantedHash { get; set; }

        public Instant WantedEnd { get; set; }

        /// <summary>"" for a cancelled event.</summary>
        public string? KnownHash { get; set; }

        public bool KnownCancelled { get; set; }

        public Instant KnownEnd { get; set; }

        public readonly bool IsWanted => WantedHash is not null;

        public readonly bool IsKnown => KnownHash is not null;

        public readonly MirroredEvent? Known(string id) =>
            KnownHash is { } hash ? new MirroredEvent(id, hash, KnownCancelled, KnownEnd) : null;
    }
}
