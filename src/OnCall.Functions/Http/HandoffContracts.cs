using NodaTime;
using OnCall.Core.Handoffs;

namespace OnCall.Functions.Http;

public sealed record HandoffNoticeResponse(
    string Kind,
    Instant ClaimedAt,
    int Attempts,
    Instant? SentAt,
    IReadOnlyList<string> Retry,
    IReadOnlyDictionary<string, string> Channels);

public sealed record HandoffResponse(
    string Id,
    string Rotation,
    string Layer,
    MemberResponse Outgoing,
    MemberResponse Incoming,
    Instant Due,
    string Grace,
    string Status,
    bool Late,
    string? LateBy,
    Instant? AcknowledgedAt,
    string? AcknowledgedBy,
    string? Notes,
    Instant? MissedAt,
    Instant? SupervisorNotifiedAt,
    IReadOnlyList<string> CarriedOver,
    IReadOnlyList<HandoffNoticeResponse> Notices);

// Bodies as clients send them: nullable strings, so "required" is reported with the field's name.
public sealed record HandoffNotesRequest(string? Notes);

public sealed record AcknowledgeRequest(string? By, string? Notes);

public static class HandoffContracts
{
    public static HandoffResponse ToResponse(Handoff h) => new(
        h.Id,
        h.RotationId,
        h.Layer,
        Contracts.ToResponse(h.Outgoing),
        Contracts.ToResponse(h.Incoming),
        h.Due,
        WireFormat.Format(h.Grace),
        Wire(h.Status),
        h.AcknowledgedLate,
        h.AcknowledgedLate && h.Lateness is { } late ? WireFormat.Format(late) : null,
        h.AcknowledgedAt,
        h.AcknowledgedBy,
        h.Notes,
        h.MissedAt,
        h.SupervisorNotifiedAt,
        h.CarriedOver,
        [.. h.Notices.OrderBy(n => n.Key).Select(n => new HandoffNoticeResponse(
            n.Key.ToString().ToLowerInvariant(),
            n.Value.ClaimedAt,
            n.Value.Attempts,
            n.Value.SentAt,
            [.. n.Value.Retry.Select(c => c.ToString().ToLowerInvariant())],
            n.Value.Channels.ToDictionary(
                c => c.Channel.ToString().ToLowerInvariant(),
                c => c.Status.ToString().ToLowerInvariant(),
                StringComparer.Ordinal)))]);

    public static string Wire(HandoffStatus status) => status.ToString().ToLowerInvariant();

    /// <summary>The <c>status</c> query parameter: pending, acknowledged or missed.</summary>
    public static HandoffStatus? ParseStatus(string? value) =>
        value switch
        {
            null => null,
            "pending" => HandoffStatus.Pending,
            "acknowledged" => HandoffStatus.Acknowledged,
            "missed" => HandoffStatus.Missed,
            _ => throw new Core.Errors.ValidationFailedException("status", "must be one of pending, acknowledged, missed."),
        };
}
