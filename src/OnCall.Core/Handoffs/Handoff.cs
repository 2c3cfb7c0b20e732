using System.Globalization;
using NodaTime;
using NodaTime.Text;
using OnCall.Core.Notifications;
using OnCall.Core.Rotations;

namespace OnCall.Core.Handoffs;

public enum HandoffStatus
{
    /// <summary>Planned or due; the incoming engineer has not acknowledged yet.</summary>
    Pending,

    /// <summary>The incoming engineer (or the supervisor for them) took over; late when it had been missed first.</summary>
    Acknowledged,

    /// <summary>Not acknowledged within the grace period; the supervisor has been told.</summary>
    Missed,
}

/// <summary>The messages a handoff can cause, each sent at most once (failed channels retried).</summary>
public enum HandoffNoticeKind
{
    Reminder,
    Missed,
    Escalation,
    Resolved,
}

/// <summary>
/// One message's delivery state. <see cref="ClaimedAt"/> is written (with the record's ETag) before sending, so of
/// two instances only the one whose write won sends; <see cref="RecordedAt"/> when the channels' answers were stored,
/// <see cref="SentAt"/> the first time any channel took it, <see cref="Retry"/> the channels to try again.
/// </summary>
public sealed record HandoffNotice(
    Instant ClaimedAt,
    int Attempts,
    Instant? RecordedAt,
    Instant? SentAt,
    IReadOnlyList<NotificationChannel> Retry,
    IReadOnlyList<ChannelDelivery> Channels)
{
    /// <summary>Attempts at most, so a channel that never recovers is not hammered for ever.</summary>
    public const int MaxAttempts = 10;

    /// <summary>A claim older than this whose results were never recorded (the instance died) may be taken again.</summary>
    public static readonly Duration ClaimLease = Duration.FromMinutes(2);

    public bool InFlight => RecordedAt is null || RecordedAt < ClaimedAt;

    /// <summary>Whether another attempt is due at <paramref name="now"/>.</summary>
    public bool NeedsRetry(Instant now) =>
        Attempts < MaxAttempts && (InFlight ? now - ClaimedAt > ClaimLease : Retry.Count > 0);
}

/// <summary>
/// A shift change on one layer: at <see cref="Due"/> the on-call duty passes from <see cref="Outgoing"/> to
/// <see cref="Incoming"/>, who acknowledges it. Its id is derived from rotation, layer and instant, so planning
/// the same boundary twice (or on two instances) finds the same record.
/// </summary>
public sealed record Handoff(
    string Id,
    string RotationId,
    string Layer,
    Member Outgoing,
    Member Incoming,
    Instant Due,
    Duration Grace,
    HandoffStatus Status,
    Instant CreatedAt)
{
    public Instant? AcknowledgedAt { get; init; }

    public string? AcknowledgedBy { get; init; }

    public string? Notes { get; init; }

    public Instant? MissedAt { get; init; }

    public IReadOnlyDictionary<HandoffNoticeKind, HandoffNotice> Notices { get; init; } =
        new Dictionary<HandoffNoticeKind, HandoffNotice>();

    /// <summary>
    /// Open items the outgoing engineer hands over: the rotation's open incidents they command, read when the record
    /// is planned and again while it can be acknowledged.
    /// </summary>
    public IReadOnlyList<string> CarriedOver { get; init; } = [];

    /// <summary>When the grace period ends: a pending handoff is missed from then on.</summary>
    public Instant MissedFrom => Due + Grace;

    /// <summary>When an unacknowledged missed handoff is escalated once more: two more grace periods later.</summary>
    public Instant EscalateFrom => Due + Grace + Grace + Grace;

    /// <summary>Acknowledged after it had been flagged missed.</summary>
    public bool AcknowledgedLate => Status == HandoffStatus.Acknowledged && MissedAt is not null;

    /// <summary>How long after the due time it was acknowledged.</summary>
    public Duration? Lateness => AcknowledgedAt is { } at && at > Due ? at - Due : null;

    public Instant? SupervisorNotifiedAt => Notice(HandoffNoticeKind.Missed)?.SentAt;

    public HandoffNotice? Notice(HandoffNoticeKind kind) => Notices.TryGetValue(kind, out var notice) ? notice : null;

    public Handoff WithNotice(HandoffNoticeKind kind, HandoffNotice notice) =>
        this with { Notices = new Dictionary<HandoffNoticeKind, HandoffNotice>(Notices) { [kind] = notice } };

    /// <summary>
    /// <c>yyyyMMddHHmm-</c> (the due instant in UTC, so storage can find the record's time bucket from the id alone)
    /// and 20 base32hex characters of a hash of rotation, layer and instant: URL-safe and deterministic.
    /// </summary>
    public static string IdFor(string rotationId, string layer, Instant due) =>
        string.Create(CultureInfo.InvariantCulture, $"{IdTimePattern.Format(due)}-{new ShiftKey(rotationId, layer, due).EventId[..20]}");

    /// <summary>The UTC due minute an id starts with, or null when it is not a handoff id.</summary>
    public static Instant? DueMinuteOf(string? id)
    {
        if (id is null || id.Length != 33 || id[12] != '-' || !id.AsSpan(13).ContainsOnlyBase32Hex())
        {
            return null;
        }

        var parsed = IdTimePattern.Parse(id[..12]);
        return parsed.Success ? parsed.Value : null;
    }

    private static readonly InstantPattern IdTimePattern = InstantPattern.CreateWithInvariantCulture("uuuuMMddHHmm");
}

internal static class Base32HexExtensions
{
    public static bool ContainsOnlyBase32Hex(this ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            if (c is not ((>= '0' and <= '9') or (>= 'a' and <= 'v')))
            {
                return false;
            }
        }

        return true;
    }
}
