using NodaTime;

namespace OnCall.Core.Rotations;

/// <summary>Someone else covers <see cref="Layer"/> from <see cref="Start"/> to <see cref="End"/> (swap, vacation, holiday).</summary>
public sealed record Override(string Id, string Layer, Instant Start, Instant End, Member Member, string? Reason, Instant CreatedAt)
{
    public bool Overlaps(Override other) => Layer == other.Layer && Start < other.End && other.Start < End;
}
