using NodaTime;

namespace OnCall.Core.TimeOff;

public enum CoverageProblemKind
{
    /// <summary>A shift's engineer has time off during it.</summary>
    Conflict,

    /// <summary>A layer has no shift at all for a while.</summary>
    Gap,
}

/// <summary>
/// One problem on one layer from <see cref="Start"/> to <see cref="End"/>. <see cref="Member"/> is the email of the
/// engineer away (conflicts), null for gaps.
/// </summary>
public sealed record CoverageProblem(string Layer, Instant Start, Instant End, CoverageProblemKind Kind, string? Member);
