using OnCall.Core.Handoffs;

namespace OnCall.Functions.Http;

public sealed record HandoffNoticeResponse(string Kind, string ClaimedAt, int Attempts, string? SentAt, IReadOnlyList<string> Retry, IReadOnlyDictionary<string, string> Channels);

public sealed record HandoffResponse(
    string Id,
    string Rotation,
    string Layer,
    MemberResponse Outgoing,
    MemberResponse Incoming,
    string Due,
    string Grace,
    string Status,
    bool Late,
    string? LateBy,
    string? AcknowledgedAt,
    string? AcknowledgedBy,
    string? Notes,
    string? MissedAt,
    string? SupervisorNotifiedAt,
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
        Contracts.Format(h.Due),
        WireFormat.Format(h.Grace),
        Wire(h.Status),
        h.AcknowledgedLate,
        h.AcknowledgedLate && h.Lateness is { } late ? WireFormat.Format(late) : null,
        h.AcknowledgedAt is { } a ? Contracts.Format(a) : null,
        h.AcknowledgedBy,
        h.Notes,
        h.MissedAt is { } m ? Contracts.Format(m) : null,
        h.SupervisorNotifiedAt is { } n ? Contracts.Format(n) : null,
        h.CarriedOver,
        [.. h.Notices.OrderBy(n => n.Key).Select(n => new HandoffNoticeResponse(
            n.Key.ToString().ToLowerInvariant(),
            Contracts.Format(n.Value.ClaimedAt),
            n.Value.Attempts,
            n.Value.SentAt is { } s ? Contracts.Format(s) : null,
            [.. n.Value.Retry.Select(c => c.ToString().ToLowerInvariant())],
            n.Value.Channels.ToDictionary(c => c.Channel.ToString().ToLowerInvariant(), c => c.Status.ToString().ToLowerInvariant(), StringComparer.Ordinal)))]);

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
