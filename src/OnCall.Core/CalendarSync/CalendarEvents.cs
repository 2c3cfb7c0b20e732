using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using NodaTime;
using OnCall.Core.Time;

namespace OnCall.Core.CalendarSync;

/// <summary>
/// What a calendar event of ours shows, in the form both sides can be compared in: instants rather than Google's
/// formatting of them, attendees as a sorted set of emails. Its <see cref="Hash"/> is what the sync compares.
/// </summary>
public sealed record EventContent(
    string Summary,
    string Description,
    Instant Start,
    Instant End,
    string TimeZone,
    bool Transparent,
    IReadOnlyList<string> Attendees)
{
    public string Hash
    {
        get
        {
            var text = string.Join(
                "\u0000",
                [
                    Summary, Description, InstantText.FormatWholeSeconds(Start), InstantText.FormatWholeSeconds(End), TimeZone,
                    Transparent ? "transparent" : "opaque", .. Attendees.Select(a => a.ToLowerInvariant()).Order(StringComparer.Ordinal),
                ]);
            return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)).AsSpan(0, 16));
        }
    }
}

/// <summary>One of our events as it should be: the shift's event id, its content and who it belongs to.</summary>
public sealed record DesiredEvent(string Id, string RotationId, string ShiftKey, EventContent Content)
{
    public string ContentHash { get; } = Content.Hash;
}

/// <summary>
/// An event as <c>events.list</c> returned it. <see cref="RotationId"/> is our private extended property (null on an
/// event we did not create); <see cref="Content"/> is null for a cancelled one, which may come with its id only.
/// </summary>
public sealed record RemoteEvent(string Id, bool Cancelled, string? RotationId, EventContent? Content);

/// <summary>One page of <c>events.list</c>; the last page carries <see cref="NextSyncToken"/>.</summary>
public sealed record EventPage(IReadOnlyList<RemoteEvent> Items, string? NextPageToken, string? NextSyncToken);

/// <summary>
/// Which events to list: the changes since <see cref="SyncToken"/>, or (without one) every event of
/// <see cref="RotationId"/>, found by its private extended property, deleted ones included.
/// </summary>
public sealed record EventQuery(string RotationId, string? SyncToken, string? PageToken);

public enum EventWriteKind
{
    Insert,
    Patch,
    Delete,
}

/// <summary>
/// One call of a batch. A patch sends the whole content and <c>status: confirmed</c>, so it also restores a deleted
/// event.
/// </summary>
public sealed record EventWrite(EventWriteKind Kind, string EventId, DesiredEvent? Event)
{
    public static EventWrite Insert(DesiredEvent e) => new(EventWriteKind.Insert, e.Id, e);

    public static EventWrite Patch(DesiredEvent e) => new(EventWriteKind.Patch, e.Id, e);

    public static EventWrite Delete(string eventId) => new(EventWriteKind.Delete, eventId, null);

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Kind} {EventId}");
}

public enum EventWriteOutcome
{
    Done,

    /// <summary>An insert whose id exists (409): another run inserted it, or it was deleted by hand and lingers as cancelled.</summary>
    AlreadyExists,

    /// <summary>404 or 410: gone.</summary>
    Gone,

    /// <summary>Rate limited (403/429 rate-limit reasons) or a server error: worth another try later.</summary>
    Retryable,

    Failed,
}

/// <summary>How one call of a batch ended; <see cref="Error"/> is Google's reason, never a secret.</summary>
public sealed record EventWriteResult(EventWrite Write, EventWriteOutcome Outcome, string? Error = null, TimeSpan? RetryAfter = null);

/// <summary>The calendar's list token has expired (410): forget it and list everything again.</summary>
public sealed class SyncTokenExpiredException() : Exception("The calendar's sync token has expired; a full sync is needed.");

/// <summary>A Calendar API call failed for good (after the client's own retries); the message names the status and reason only.</summary>
public sealed class CalendarApiException(string message) : Exception(message);
