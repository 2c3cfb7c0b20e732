using NodaTime;

namespace OnCall.Core.TimeOff;

/// <summary>
/// A member of a rotation is away from <see cref="Start"/> to <see cref="End"/>. Recorded only: it never changes the
/// computed shifts; coverage reports the shifts it clashes with until an override covers them.
/// </summary>
public sealed record TimeOffEntry(string Id, string Member, Instant Start, Instant End, string? Reason, Instant CreatedAt)
{
    public bool Overlaps(Instant start, Instant end) => Start < end && start < End;
}

/// <summary>Time off as requested, before it has an id; <see cref="Member"/> is the member's email.</summary>
public sealed record TimeOffSpec(string Member, Instant Start, Instant End, string? Reason);
