using System.Buffers;
using System.Buffers.Binary;

namespace OnCall.Core.CalendarSync;

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
