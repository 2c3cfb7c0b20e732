using NodaTime;

namespace OnCall.Core.CalendarSync;

public sealed record SyncCounts(int Inserted, int Patched, int Deleted, int Unchanged)
{
    public static readonly SyncCounts None = new(0, 0, 0, 0);
}

/// <summary>
/// The Google sync of one rotation as stored: the calendar it writes to, the list token of its last read, and how its
/// last run went. <see cref="LastSyncAt"/> is when the last run finished, failed or not (<see cref="LastError"/> says).
/// </summary>
public sealed record CalendarSyncState(
    string RotationId,
    string? CalendarId,
    string? SyncToken,
    Instant? LastSyncAt,
    SyncCounts Counts,
    int Requests,
    string? LastError,
    string? ETag = null)
{
    public static CalendarSyncState New(string rotationId, string? calendarId) =>
        new(rotationId, calendarId, null, null, SyncCounts.None, 0, null);
}

/// <summary>What the sync knows of one of our events in Google: its content hash as read or written, deleted or not, its end.</summary>
public sealed record MirroredEvent(string Id, string Hash, bool Cancelled, Instant End);

/// <summary>The sync's last run for one rotation, as <c>GET /api/rotations/{id}/sync</c> shows it.</summary>
public sealed record CalendarSyncStatus(
    string RotationId,
    string? CalendarId,
    Instant? LastSyncAt,
    SyncCounts Counts,
    int Requests,
    string? LastError);

/// <summary>
/// How the sync writes: attendees or not, and how it waits when calls in a batch are rate limited (the HTTP client
/// retries whole requests itself; a batch answers 200 with some calls failed, which only the sync can retry).
/// </summary>
public sealed record CalendarSyncSettings(bool MembersAsAttendees, TimeSpan RetryBaseDelay, TimeSpan MaxRetryDelay, int MaxRetryRounds)
{
    public static readonly CalendarSyncSettings Default = new(false, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30), 5);
}
