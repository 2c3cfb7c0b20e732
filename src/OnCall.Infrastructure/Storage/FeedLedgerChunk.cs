using System.IO.Compression;
using System.Runtime.InteropServices;
using NodaTime;
using OnCall.Core.Feeds;
using OnCall.Core.Rotations;

namespace OnCall.Infrastructure.Storage;

/// <summary>
/// The packed form of one chunk of a feed ledger: up to <see cref="TargetEntries"/> entries, GZip-compressed, each
/// person and layer written once per chunk and named by index. Strings are UTF-16 as they are in memory, so every
/// name round-trips exactly (a lone surrogate too) and the compression takes back what ASCII loses.
/// </summary>
internal static class FeedLedgerChunk
{
    private const byte Format = 1;

    /// <summary>
    /// Entries per chunk when a chunk is written: a change rewrites one chunk, so smaller chunks cost less per change,
    /// and more of them cost more per load. 2,000 keeps the largest rotation (about 88,000 shifts) at 45 chunks.
    /// </summary>
    public const int TargetEntries = 2_000;

    /// <summary>
    /// Compressed bytes one chunk may take: 12 binary properties of 64 KiB, well inside Table Storage's 1 MiB entity
    /// (the limits at their worst, 200 people of 200-character names outside the BMP, take about 1 MB uncompressed
    /// for 2,000 entries; a chunk over this is split in two).
    /// </summary>
    public const int MaxBytes = MaxPartBytes * MaxParts;

    public const int MaxPartBytes = 64 * 1024;

    public const int MaxParts = 12;

    public static byte[] Encode(IReadOnlyList<FeedEntry> entries)
    {
        var people = new Dictionary<Member, int>();
        var layers = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            people.TryAdd(entry.Member, people.Count);
            layers.TryAdd(entry.Layer, layers.Count);
        }

        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        using (var writer = new BinaryWriter(gzip))
        {
            writer.Write(Format);
            writer.Write7BitEncodedInt(people.Count);
            foreach (var person in people.Keys)
            {
                WriteString(writer, person.Name);
                WriteString(writer, person.Email);
            }

            writer.Write7BitEncodedInt(layers.Count);
            foreach (var layer in layers.Keys)
            {
                WriteString(writer, layer);
            }

            writer.Write7BitEncodedInt(entries.Count);
            foreach (var e in entries)
            {
                WriteString(writer, e.EventId);
                WriteString(writer, e.Key);
                writer.Write7BitEncodedInt(layers[e.Layer]);
                writer.Write7BitEncodedInt(people[e.Member]);
                writer.Write(e.Start.ToUnixTimeTicks());
                writer.Write(e.End.ToUnixTimeTicks());
                writer.Write((byte)((e.IsOverride ? 1 : 0) | (e.Cancelled ? 2 : 0)));
                writer.Write7BitEncodedInt(e.Sequence);
                writer.Write(e.LastModified.ToUnixTimeTicks());
            }
        }

        return buffer.ToArray();
    }

    public static List<FeedEntry> Decode(byte[] compressed)
    {
        using var buffer = new MemoryStream(compressed, writable: false);
        return Decode(buffer);
    }

    /// <summary>Decodes a chunk from <paramref name="compressed"/>, which is left open.</summary>
    public static List<FeedEntry> Decode(Stream compressed)
    {
        using var gzip = new GZipStream(compressed, CompressionMode.Decompress, leaveOpen: true);
        using var reader = new BinaryReader(new BufferedStream(gzip, 64 * 1024));
        var format = reader.ReadByte();
        if (format != Format)
        {
            throw new InvalidDataException($"Feed ledger chunk format {format}; this version reads {Format}.");
        }

        var people = new Member[reader.Read7BitEncodedInt()];
        for (var i = 0; i < people.Length; i++)
        {
            people[i] = new Member(ReadString(reader), ReadString(reader));
        }

        var layers = new string[reader.Read7BitEncodedInt()];
        for (var i = 0; i < layers.Length; i++)
        {
            layers[i] = ReadString(reader);
        }

        var entries = new List<FeedEntry>(reader.Read7BitEncodedInt());
        for (var i = entries.Capacity; i > 0; i--)
        {
            var eventId = ReadString(reader);
            var key = ReadString(reader);
            var layer = layers[reader.Read7BitEncodedInt()];
            var member = people[reader.Read7BitEncodedInt()];
            var start = Instant.FromUnixTimeTicks(reader.ReadInt64());
            var end = Instant.FromUnixTimeTicks(reader.ReadInt64());
            var flags = reader.ReadByte();
            var sequence = reader.Read7BitEncodedInt();
            var lastModified = Instant.FromUnixTimeTicks(reader.ReadInt64());
            entries.Add(new FeedEntry(eventId, key, layer, member, start, end, (flags & 1) != 0, sequence, lastModified, (flags & 2) != 0));
        }

        return entries;
    }

    /// <summary>Splits <paramref name="data"/> over binary properties of at most <see cref="MaxPartBytes"/>.</summary>
    public static IEnumerable<byte[]> Parts(byte[] data) => data.Chunk(MaxPartBytes);

    private static void WriteString(BinaryWriter writer, string value)
    {
        writer.Write7BitEncodedInt(value.Length);
        writer.Write(MemoryMarshal.AsBytes(value.AsSpan()));
    }

    private static string ReadString(BinaryReader reader)
    {
        var length = reader.Read7BitEncodedInt();
        var bytes = reader.ReadBytes(length * 2);
        if (bytes.Length != length * 2)
        {
            throw new InvalidDataException("Feed ledger chunk ends inside a string.");
        }

        return new string(MemoryMarshal.Cast<byte, char>(bytes));
    }
}
