using System.Buffers;
using System.Buffers.Binary;
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

    public bool IsWanted(string id) => _byId.TryGetValue(id, out var sides) && sides.IsWanted;

    public bool IsKnown(string id) => _byId.TryGetValue(id, out var sides) && sides.IsKnown;

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

/// <summary>
/// A content hash (<see cref="EventContent.Hash"/>: 32 lowercase hex digits) held as its 128 bits, 16 bytes inline
/// rather than a string of 86 bytes. Any other text, such as a cancelled event's empty hash, is kept as it is, so two
/// are equal exactly when their texts are.
/// </summary>
internal readonly record struct CompactHash(ulong High, ulong Low, string? Text)
{
    private static readonly SearchValues<char> LowerHex = SearchValues.Create("0123456789abcdef");

    public static CompactHash From(string hash)
    {
        ArgumentNullException.ThrowIfNull(hash);
        if (hash.Length != 32 || hash.AsSpan().ContainsAnyExcept(LowerHex))
        {
            return new CompactHash(0, 0, hash);
        }

        Span<byte> bits = stackalloc byte[16];
        Convert.FromHexString(hash, bits, out _, out _);
        return new CompactHash(BinaryPrimitives.ReadUInt64BigEndian(bits), BinaryPrimitives.ReadUInt64BigEndian(bits[8..]), null);
    }
}
