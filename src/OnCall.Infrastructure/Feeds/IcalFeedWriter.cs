using System.Globalization;
using System.Text;
using NodaTime.Text;
using OnCall.Core.Feeds;
using OnCall.Core.Ports;
using OnCall.Core.Rotations;

namespace OnCall.Infrastructure.Feeds;

/// <summary>
/// Writes a rotation's feed as RFC 5545 iCalendar, straight into a stream: escaped TEXT values, lines folded at 75
/// octets (never inside a UTF-8 sequence), CRLF, events written as they arrive. Written by hand rather than with
/// Ical.Net, which built the whole object model and the document in memory first (1.5 GB for the largest feed, 88,000 events).
/// </summary>
public sealed class IcalFeedWriter : ICalendarFeedWriter
{
    private const int MaxLineOctets = 75;
    private static readonly InstantPattern UtcStamp = InstantPattern.CreateWithInvariantCulture("uuuuMMdd'T'HHmmss'Z'");

    /// <summary>The whole document as a string (tests, small feeds).</summary>
    public string Write(RotationSettings rotation, IReadOnlyList<FeedEntry> entries)
    {
        using var output = new MemoryStream();
        WriteAsync(rotation, entries.ToAsyncEnumerable(), output).GetAwaiter().GetResult();
        return Encoding.UTF8.GetString(output.GetBuffer(), 0, (int)output.Length);
    }

    public async Task<long> WriteAsync(
        RotationSettings rotation,
        IAsyncEnumerable<FeedEntry> entries,
        Stream output,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rotation);
        ArgumentNullException.ThrowIfNull(entries);
        var writer = new LineWriter(output);
        writer.Line("BEGIN:VCALENDAR");
        writer.Line("PRODID:-//OnCallFunctions//On-call shifts//EN");
        writer.Line("VERSION:2.0");
        writer.Line("METHOD:PUBLISH");
        writer.Line("X-WR-CALNAME:" + Text(rotation.Name));
        writer.Line("X-WR-CALDESC:" + Text($"On-call shifts of {rotation.Name}"));
        writer.Line("X-WR-TIMEZONE:" + Text(rotation.TimeZone.Id));

        // Calendar apps poll at their own pace; this is a hint for those that honour it.
        writer.Line("X-PUBLISHED-TTL:PT1H");
        writer.Line("REFRESH-INTERVAL;VALUE=DURATION:PT1H");
        await foreach (var entry in entries.WithCancellation(cancellationToken))
        {
            var stamp = UtcStamp.Format(entry.LastModified);
            writer.Line("BEGIN:VEVENT");
            writer.Line($"UID:{entry.EventId}@oncallfunctions");
            writer.Line("DTSTAMP:" + stamp);
            writer.Line("DTSTART:" + UtcStamp.Format(entry.Start));
            writer.Line("DTEND:" + UtcStamp.Format(entry.End));
            writer.Line("SUMMARY:" + Text(ShiftText.Summary(rotation, entry)));
            writer.Line("DESCRIPTION:" + Text(ShiftText.Description(rotation, entry)));
            writer.Line("LAST-MODIFIED:" + stamp);
            writer.Line(string.Create(CultureInfo.InvariantCulture, $"SEQUENCE:{entry.Sequence}"));
            writer.Line(entry.Cancelled ? "STATUS:CANCELLED" : "STATUS:CONFIRMED");

            // A shift is not a meeting: it must not block the engineer's free/busy time.
            writer.Line("TRANSP:TRANSPARENT");
            writer.Line("END:VEVENT");
            if (writer.IsNearlyFull)
            {
                await writer.FlushAsync(cancellationToken);
            }
        }

        writer.Line("END:VCALENDAR");
        await writer.FlushAsync(cancellationToken);
        return writer.Written;
    }

    /// <summary>RFC 5545 §3.3.11: backslash, semicolon and comma escaped, line breaks as <c>\n</c>.</summary>
    private static string Text(string value)
    {
        if (value.AsSpan().IndexOfAny("\\;,\n\r") < 0)
        {
            return value;
        }

        var builder = new StringBuilder(value.Length + 8);
        foreach (var c in value)
        {
            _ = c switch
            {
                '\\' => builder.Append("\\\\"),
                ';' => builder.Append("\\;"),
                ',' => builder.Append("\\,"),
                '\n' => builder.Append("\\n"),
                '\r' => builder,
                _ => builder.Append(c),
            };
        }

        return builder.ToString();
    }

    /// <summary>Writes content lines as UTF-8, folded at 75 octets, through a small buffer.</summary>
    private sealed class LineWriter(Stream output)
    {
        private readonly byte[] _buffer = new byte[64 * 1024];
        private byte[] _line = new byte[1024];
        private int _length;

        public void Line(string text)
        {
            var needed = Encoding.UTF8.GetMaxByteCount(text.Length);
            if (_line.Length < needed)
            {
                _line = new byte[needed];
            }

            var count = Encoding.UTF8.GetBytes(text, _line);
            var start = 0;
            var limit = MaxLineOctets;
            while (count - start > limit)
            {
                // Never split a UTF-8 sequence: back up while the next octet continues one (10xxxxxx).
                var end = start + limit;
                while ((_line[end] & 0xC0) == 0x80)
                {
                    end--;
                }

                Put(_line.AsSpan(start, end - start));
                Put("\r\n "u8);
                start = end;
                limit = MaxLineOctets - 1;
            }

            Put(_line.AsSpan(start, count - start));
            Put("\r\n"u8);
        }

        /// <summary>Past three quarters of the buffer: flush between events, asynchronously, rather than inside one.</summary>
        public bool IsNearlyFull => _length > _buffer.Length * 3 / 4;

        public long Written { get; private set; }

        public async Task FlushAsync(CancellationToken cancellationToken)
        {
            await output.WriteAsync(_buffer.AsMemory(0, _length), cancellationToken);
            Written += _length;
            _length = 0;
        }

        /// <summary>Only when one event outgrows the buffer's last quarter.</summary>
        private void Flush()
        {
            output.Write(_buffer, 0, _length);
            Written += _length;
            _length = 0;
        }

        private void Put(ReadOnlySpan<byte> bytes)
        {
            if (_length + bytes.Length > _buffer.Length)
            {
                Flush();
            }

            bytes.CopyTo(_buffer.AsSpan(_length));
            _length += bytes.Length;
        }
    }
}
