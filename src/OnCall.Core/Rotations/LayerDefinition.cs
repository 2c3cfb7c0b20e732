using NodaTime;
using NodaTime.Text;

namespace OnCall.Core.Rotations;

/// <summary>
/// One layer of a rotation (primary, secondary …): members take turns in order, each for
/// <see cref="ShiftLength"/>, handing off at <see cref="HandoffTime"/> local time. The first member's
/// first shift starts at <see cref="Anchor"/> + <see cref="Offset"/> at the handoff time.
/// </summary>
public sealed record LayerDefinition(
    string Name,
    IReadOnlyList<Member> Members,
    Period ShiftLength,
    LocalTime HandoffTime,
    LocalDate Anchor,
    Period Offset)
{
    /// <summary>How handoff times are written everywhere: the API, storage, feeds.</summary>
    public static readonly LocalTimePattern HandoffTimePattern = LocalTimePattern.CreateWithInvariantCulture("HH:mm");

    /// <summary>Shift length in local hours: whole days count 24 local hours, so a daily 10:00 handoff stays 10:00 across DST.</summary>
    public long ShiftLengthHours => ShiftLength.Days * 24L + ShiftLength.Hours;

    public LocalDateTime FirstHandoff => Anchor.At(HandoffTime).Plus(Offset);

    /// <summary>Structural equality; the record's default compares <see cref="Members"/> by reference.</summary>
    public bool Equals(LayerDefinition? other) =>
        other is not null
        && Name == other.Name
        && Members.SequenceEqual(other.Members)
        && ShiftLength.Equals(other.ShiftLength)
        && HandoffTime == other.HandoffTime
        && Anchor == other.Anchor
        && Offset.Equals(other.Offset);

    public override int GetHashCode() => HashCode.Combine(Name, Members.Count, ShiftLength, HandoffTime, Anchor, Offset);
}
