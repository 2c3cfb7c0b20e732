using NodaTime;
using OnCall.Core.Rotations;

namespace OnCall.Functions.Http;

// Response shapes of the HTTP contract: instants in UTC ISO-8601, durations ISO-8601, local times HH:mm.
public sealed record MemberResponse(string Name, string Email);

public sealed record SupervisorResponse(string Name, string Email, string? Handle);

public sealed record LayerResponse(
    string Name,
    string ShiftLength,
    string HandoffTime,
    string Anchor,
    string Offset,
    IReadOnlyList<MemberResponse> Members);

/// <summary>A layer change that takes effect at the next handoff.</summary>
public sealed record PendingChangeResponse(string Layer, Instant EffectiveFrom, bool Removed);

public sealed record OverrideResponse(
    string Id,
    string Layer,
    Instant Start,
    Instant End,
    MemberResponse Member,
    string? Reason,
    Instant CreatedAt);

public sealed record RotationResponse(
    string Id,
    string Name,
    string TimeZone,
    SupervisorResponse Supervisor,
    string HandoffGrace,
    string? CalendarId,
    string Horizon,
    IReadOnlyList<LayerResponse> Layers,
    IReadOnlyList<PendingChangeResponse> PendingChanges,
    IReadOnlyList<OverrideResponse>? Overrides,
    Instant CreatedAt,
    Instant UpdatedAt,
    string? FeedToken = null,
    string? FeedUrl = null,
    IReadOnlyList<TimeOffResponse>? TimeOff = null);

/// <summary>
/// A shift. <see cref="Holdover"/>: the handoff that began it was missed, so <see cref="Member"/> is the outgoing
/// engineer, still on call until someone acknowledges <see cref="HandoffId"/>.
/// </summary>
public sealed record ShiftResponse(
    string Layer,
    MemberResponse Member,
    Instant Start,
    Instant End,
    string Key,
    string EventId,
    bool Override,
    string? OverrideId,
    bool Holdover = false,
    string? HandoffId = null);

public sealed record SyncCountsResponse(int Inserted, int Patched, int Deleted, int Unchanged);

/// <summary>The Google Calendar sync's last run of one rotation; <see cref="LastSyncAt"/> null: never synced.</summary>
public sealed record CalendarSyncResponse(
    string Rotation,
    string? CalendarId,
    Instant? LastSyncAt,
    SyncCountsResponse Counts,
    int Requests,
    string? LastError);

public sealed record OnCallResponse(string Rotation, Instant At, IReadOnlyList<ShiftResponse> OnCall);

public sealed record FeedTokenResponse(string FeedToken, string FeedUrl);

public static class Contracts
{

    public static RotationResponse ToResponse(Rotation rotation, IReadOnlyList<Override>? overrides, Instant now)
    {
        var s = rotation.Settings;
        var pending = rotation.History
            .Where(r => r.EffectiveFrom > now)
            .OrderBy(r => r.EffectiveFrom)
            .Select(r => new PendingChangeResponse(r.Layer, r.EffectiveFrom, r.Definition is null))
            .ToList();
        return new RotationResponse(
            s.Id,
            s.Name,
            s.TimeZone.Id,
            new SupervisorResponse(s.Supervisor.Name, s.Supervisor.Email, s.Supervisor.Handle),
            WireFormat.Format(s.HandoffGrace),
            s.CalendarId,
            WireFormat.FormatAsSent(s.Horizon),
            [.. s.Layers.Select(ToResponse)],
            pending,
            overrides?.OrderBy(o => o.Start).Select(ToResponse).ToList(),
            rotation.CreatedAt,
            rotation.UpdatedAt);
    }

    public static OverrideResponse ToResponse(Override o) =>
        new(o.Id, o.Layer, o.Start, o.End, ToResponse(o.Member), o.Reason, o.CreatedAt);

    public static ShiftResponse ToResponse(Shift shift) =>
        new(
            shift.Layer,
            ToResponse(shift.Member),
            shift.Start,
            shift.End,
            shift.Key.ToString(),
            shift.Key.EventId,
            shift.IsOverride,
            shift.OverrideId);

    private static LayerResponse ToResponse(LayerDefinition layer) => new(
        layer.Name,
        WireFormat.Format(layer.ShiftLength),
        WireFormat.Format(layer.HandoffTime),
        WireFormat.Format(layer.Anchor),
        WireFormat.Format(layer.Offset),
        [.. layer.Members.Select(ToResponse)]);

    public static MemberResponse ToResponse(Member member) => new(member.Name, member.Email);
}
