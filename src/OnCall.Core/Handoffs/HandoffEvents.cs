using NodaTime;
using NodaTime.Text;
using OnCall.Core.Events;
using OnCall.Core.Rotations;

namespace OnCall.Core.Handoffs;

/// <summary>The body of a <c>handoff.missed</c> event. Times are ISO-8601 instants in UTC, the grace an ISO-8601 duration.</summary>
public sealed record HandoffMissed(
    string HandoffId,
    string RotationId,
    string? RotationName,
    string Layer,
    Member Outgoing,
    Member Incoming,
    Supervisor? Supervisor,
    string Due,
    string Grace,
    string MissedAt,
    IReadOnlyList<string> CarriedOver,
    string? Notes);

/// <summary>The domain events handoffs publish.</summary>
public static class HandoffEvents
{
    public const string MissedType = "handoff.missed";

    /// <summary>
    /// Keyed by the handoff id: the one missed event per handoff keeps its message id through every retry. The signed
    /// acknowledge link stays out: it is a credential, and subscribers are systems, not the people it was made for.
    /// </summary>
    public static DomainEvent Missed(Handoff h, Rotation? rotation) => new(
        MissedType,
        h.Id,
        new HandoffMissed(
            h.Id,
            h.RotationId,
            rotation?.Settings.Name,
            h.Layer,
            h.Outgoing,
            h.Incoming,
            rotation?.Settings.Supervisor,
            h.Due.ToString(),
            PeriodPattern.NormalizingIso.Format(Period.FromSeconds((long)h.Grace.TotalSeconds)),
            (h.MissedAt ?? h.Due + h.Grace).ToString(),
            h.CarriedOver,
            h.Notes));
}
