using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using NodaTime;
using OnCall.Core.Time;

namespace OnCall.Core.Rotations;

/// <summary>
/// A shift's stable identity: rotation, layer and start. The same rotation always yields the same keys,
/// so calendar event ids and ICS UIDs derived from it never duplicate a shift.
/// </summary>
public readonly record struct ShiftKey(string RotationId, string Layer, Instant Start)
{
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{RotationId}/{Layer}/{InstantText.FormatWholeSeconds(Start)}");

    /// <summary>
    /// A deterministic id in base32hex (<c>[0-9a-v]</c>, 32 characters): valid as a Google Calendar event id,
    /// so a repeated insert is a 409 rather than a duplicate.
    /// </summary>
    public string EventId => Base32Hex(SHA256.HashData(Encoding.UTF8.GetBytes(ToString())).AsSpan(0, 20));

    private static string Base32Hex(ReadOnlySpan<byte> bytes)
    {
        const string Alphabet = "0123456789abcdefghijklmnopqrstuv";
        var builder = new StringBuilder((bytes.Length * 8 + 4) / 5);
        int buffer = 0, bits = 0;
        foreach (var b in bytes)
        {
            buffer = (buffer << 8) | b;
            bits += 8;
            while (bits >= 5)
            {
                builder.Append(Alphabet[(buffer >> (bits - 5)) & 31]);
                bits -= 5;
            }
        }

        if (bits > 0)
        {
            builder.Append(Alphabet[(buffer << (5 - bits)) & 31]);
        }

        return builder.ToString();
    }
}

/// <summary>A computed shift: never stored as truth, always derived from the rotation and its overrides.</summary>
public sealed record Shift(ShiftKey Key, string Layer, Member Member, Instant Start, Instant End, string? OverrideId)
{
    public bool IsOverride => OverrideId is not null;

    public bool Contains(Instant instant) => Start <= instant && instant < End;
}
