using System.Buffers;
using System.Diagnostics;
using System.Text.Json;
using OnCall.Core.CalendarSync;

namespace OnCall.Infrastructure.GoogleCalendar;

/// <summary>
/// Reads an <c>events.list</c> answer from its stream an event at a time, through a small buffer. A page of 2,500
/// events is megabytes, and a document over all of it (its bytes copied into a pooled buffer, and an index of every
/// token) was the most memory a sync took at once.
/// </summary>
internal static class GoogleEventPage
{
    public const int DefaultBufferSize = 16 * 1024;

    public static async Task<EventPage> ReadAsync(
        Stream body, int bufferSize = DefaultBufferSize, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(body);
        var page = new Parsed();
        var buffer = ArrayPool<byte>.Shared.Rent(bufferSize);
        try
        {
            var length = 0;
            var final = false;
            var state = new JsonReaderState();
            while (page.Position != Position.Done)
            {
                if (final)
                {
                    throw new JsonException("events.list: the answer ended before its JSON did.");
                }

                if (length == buffer.Length)
                {
                    // One value (an event) larger than the buffer: make room for all of it.
                    var larger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                    buffer.AsSpan(0, length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }

                var read = await body.ReadAsync(buffer.AsMemory(length), cancellationToken);
                final = read == 0;
                length += read;
                var consumed = Parse(buffer.AsSpan(0, length), final, ref state, page);
                buffer.AsSpan(consumed, length - consumed).CopyTo(buffer);
                length -= consumed;
            }

            return new EventPage(page.Items, page.NextPageToken, page.NextSyncToken);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// Takes every whole step <paramref name="data"/> holds and returns the bytes they used; a step cut off by the
    /// buffer's end is taken again, from its start, once more bytes are in.
    /// </summary>
    private static int Parse(ReadOnlySpan<byte> data, bool final, ref JsonReaderState state, Parsed page)
    {
        var reader = new Utf8JsonReader(data, final, state);
        var consumed = 0;
        while (page.Position != Position.Done && Step(ref reader, page))
        {
            consumed = (int)reader.BytesConsumed;
            state = reader.CurrentState;
        }

        return consumed;
    }

    /// <summary>One step: the root's start, one property of the root with its value, or one item. False when cut off.</summary>
    private static bool Step(ref Utf8JsonReader reader, Parsed page)
    {
        if (!reader.Read())
        {
            return false;
        }

        switch (page.Position)
        {
            case Position.Start:
                page.Position = reader.TokenType == JsonTokenType.StartObject
                    ? Position.Root
                    : throw new JsonException("events.list: the answer is not a JSON object.");
                return true;

            case Position.Root when reader.TokenType == JsonTokenType.EndObject:
                page.Position = Position.Done;
                return true;

            case Position.Root:
                var name = reader.GetString();
                if (!reader.Read())
                {
                    return false;
                }

                if (name == "items" && reader.TokenType == JsonTokenType.StartArray)
                {
                    page.Position = Position.Items;
                    return true;
                }

                if (!reader.TrySkip())
                {
                    return false;
                }

                var text = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                if (name == "nextPageToken")
                {
                    page.NextPageToken = text;
                }
                else if (name == "nextSyncToken")
                {
                    page.NextSyncToken = text;
                }

                return true;

            case Position.Items when reader.TokenType == JsonTokenType.EndArray:
                page.Position = Position.Root;
                return true;

            case Position.Items:
                // An item: read only once all of it is in the buffer.
                var whole = reader;
                if (!whole.TrySkip())
                {
                    return false;
                }

                if (reader.TokenType == JsonTokenType.StartObject)
                {
                    using var item = JsonDocument.ParseValue(ref reader);
                    page.Items.Add(GoogleEventJson.Read(item.RootElement));
                }
                else
                {
                    reader = whole;
                }

                return true;

            default:
                throw new UnreachableException();
        }
    }

    private enum Position
    {
        Start,
        Root,
        Items,
        Done,
    }

    private sealed class Parsed
    {
        public Position Position { get; set; }

        public List<RemoteEvent> Items { get; } = [];

        public string? NextPageToken { get; set; }

        public string? NextSyncToken { get; set; }
    }
}
