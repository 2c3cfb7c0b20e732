using System.Runtime.InteropServices;
using NodaTime;

namespace OnCall.Core.CalendarSync;

/// <summary>
/// Both sides of each of our event ids in one table: the one the ledger wants and the one last seen in Google. The
/// largest rotation has some 88,000 events, and two tables of them (ids and hashes twice, as text) were most of a
/// sync's memory; here an id is held once and a hash as its 128 bits.
/// </summary>
internal sealed class EventSides
{
    private readonly Dictionary<string, Sides> _byId;

    /// <param name="capacity">How many events to make room for at once: growing a table this size step by step leaves
    /// each smaller one behind as garbage.</param>
    public EventSides(int capacity = 0) => _byId = new Dictionary<string, Sides>(capacity, StringComparer.Ordinal);

    /// <summary>The event as the ledger wants it: its content hash and its end.</summary>
    public void Want(string id, string hash, Instant end)
    {
        ref var sides = ref CollectionsMarshal.GetValueRefOrAddDefault(_byId, id, out _);
        sides.IsWanted = true;
        sides.WantedHash = CompactHash.From(hash);
        sides.WantedEnd = end;
    }

    /// <summary>The event as Google has it, as read or written.</summary>
    public void Know(MirroredEvent known)
    {
        ArgumentNullException.ThrowIfNull(known);
        ref var sides = ref CollectionsMarshal.GetValueRefOrAddDefault(_byId, known.Id, out _);
        sides.IsKnown = true;
        sides.KnownHash = CompactHash.From(known.Hash);
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
                sides.IsKnown = false;
            }
            else
            {
                _byId.Remove(id);
            }
        }
    }

    /// <summary>Whether either side has the event: the ledger wants it, or Google has it as far as is known.</summary>
    public bool Contains(string id) => _byId.ContainsKey(id);

    /// <summary>The end of the event as Google has it, or else as the ledger wants it.</summary>
    public Instant? End(string id) =>
        !_byId.TryGetValue(id, out var sides) ? null
        : sides.IsKnown ? sides.KnownEnd
        : sides.IsWanted ? sides.WantedEnd
        : null;

    /// <summary>Whether Google's side of <paramref name="seen"/>'s event is known to be exactly <paramref name="seen"/>.</summary>
    public bool KnowsAlready(MirroredEvent seen)
    {
        ArgumentNullException.ThrowIfNull(seen);
        return _byId.TryGetValue(seen.Id, out var sides) && sides.IsKnown && sides.KnownCancelled == seen.Cancelled
            && sides.KnownEnd == seen.End && sides.KnownHash == CompactHash.From(seen.Hash);
    }

    public IEnumerable<KeyValuePair<string, Sides>> All => _byId;

    /// <summary>One event id's two sides.</summary>
    public struct Sides
    {
        public bool IsWanted { get; set; }

        public CompactHash WantedHash { get; set; }

        public Instant WantedEnd { get; set; }

        public bool IsKnown { get; set; }

        public CompactHash KnownHash { get; set; }

        public bool KnownCancelled { get; set; }

        public Instant KnownEnd { get; set; }
    }
}
