using System.Text;
using System.Text.Json;
using OnCall.Infrastructure.GoogleCalendar;

namespace OnCall.Infrastructure.Tests.GoogleCalendar;

public sealed class GoogleEventPageTests
{
    // The shape of a Calendar v3 events.list answer: the collection's fields around the items, tokens before or after.
    private const string Answer = """
        {
         "kind": "calendar#events",
         "etag": "\"p33k9lxsr8qb6o0o\"",
         "summary": "On call",
         "updated": "2026-11-30T12:00:00.000Z",
         "timeZone": "Europe/Berlin",
         "accessRole": "owner",
         "defaultReminders": [{"method": "popup", "minutes": 10}],
         "nextPageToken": "page-2",
         "items": [
          {
           "kind": "calendar#event",
           "id": "evt0001",
           "status": "confirmed",
           "summary": "On call: Ada (primary)",
           "description": "Shift of rotation Payments",
           "start": {"dateTime": "2026-12-01T09:00:00+01:00", "timeZone": "Europe/Berlin"},
           "end": {"dateTime": "2026-12-02T09:00:00+01:00", "timeZone": "Europe/Berlin"},
           "transparency": "transparent",
           "attendees": [{"email": "ada@example.com", "responseStatus": "needsAction"}],
           "extendedProperties": {"private": {"oncallRotation": "payments", "oncallShift": "primary|2026-12-01", "oncallHash": "ab"}}
          },
          {"kind": "calendar#event", "id": "evt0002", "status": "cancelled"},
          {
           "kind": "calendar#event",
           "id": "foreign01",
           "status": "confirmed",
           "summary": "Lunch",
           "start": {"date": "2026-12-03"},
           "end": {"date": "2026-12-04"}
          }
         ],
         "nextSyncToken": "sync-9"
        }
        """;

    [Fact]
    public async Task ReadAsync_WholeAnswer_ReadsItemsAndBothTokens()
    {
        var page = await GoogleEventPage.ReadAsync(new MemoryStream(Encoding.UTF8.GetBytes(Answer)));

        Assert.Equal(["evt0001", "evt0002", "foreign01"], page.Items.Select(i => i.Id));
        Assert.Equal("page-2", page.NextPageToken);
        Assert.Equal("sync-9", page.NextSyncToken);
    }

    [Fact]
    public async Task ReadAsync_OneByteAtATimeThroughATinyBuffer_ReadsTheSameAsWhole()
    {
        var whole = await GoogleEventPage.ReadAsync(new MemoryStream(Encoding.UTF8.GetBytes(Answer)));

        var trickled = await GoogleEventPage.ReadAsync(new TrickleStream(Encoding.UTF8.GetBytes(Answer)), bufferSize: 16);

        Assert.Equal(whole.Items, trickled.Items, (a, b) => a.Id == b.Id && a.Cancelled == b.Cancelled
            && a.RotationId == b.RotationId && a.Content?.Hash == b.Content?.Hash);
        Assert.Equal((whole.NextPageToken, whole.NextSyncToken), (trickled.NextPageToken, trickled.NextSyncToken));
    }

    [Fact]
    public async Task ReadAsync_OurEvent_ReadsItsRotationAndContent()
    {
        var page = await GoogleEventPage.ReadAsync(new TrickleStream(Encoding.UTF8.GetBytes(Answer)), bufferSize: 16);

        var ours = page.Items[0];
        Assert.Equal("payments", ours.RotationId);
        Assert.False(ours.Cancelled);
        Assert.Equal("On call: Ada (primary)", ours.Content!.Summary);
        Assert.Equal(NodaTime.Instant.FromUtc(2026, 12, 2, 8, 0), ours.Content.End);
        Assert.Equal(["ada@example.com"], ours.Content.Attendees);
    }

    [Fact]
    public async Task ReadAsync_LastPageWithoutItems_ReadsNoItemsAndTheSyncToken()
    {
        var page = await GoogleEventPage.ReadAsync(
            new MemoryStream("""{"kind":"calendar#events","items":[],"nextSyncToken":"s"}"""u8.ToArray()));

        Assert.Empty(page.Items);
        Assert.Null(page.NextPageToken);
        Assert.Equal("s", page.NextSyncToken);
    }

    [Fact]
    public async Task ReadAsync_AnswerCutOff_ThrowsJsonException()
    {
        var cut = Encoding.UTF8.GetBytes(Answer)[..(Answer.Length / 2)];

        await Assert.ThrowsAnyAsync<JsonException>(() => GoogleEventPage.ReadAsync(new MemoryStream(cut)));
    }

    /// <summary>Hands out one byte per read, as a slow network might: every value is cut by a buffer's end somewhere.</summary>
    private sealed class TrickleStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(1, buffer.Length)], cancellationToken);
    }
}
