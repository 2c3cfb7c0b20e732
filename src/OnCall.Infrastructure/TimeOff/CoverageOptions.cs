using System.ComponentModel.DataAnnotations;

namespace OnCall.Infrastructure.TimeOff;

/// <summary>Bound from <c>OnCall:Coverage</c>.</summary>
public sealed class CoverageOptions
{
    public const string Section = "OnCall:Coverage";

    /// <summary>How far ahead <c>CheckCoverage</c> looks for conflicts and gaps (14 days; an hour to 366 days).</summary>
    [Range(
        typeof(TimeSpan),
        "01:00:00",
        "366.00:00:00",
        ErrorMessage = "OnCall:Coverage:LookAhead must be between 01:00:00 and 366.00:00:00.")]
    public TimeSpan LookAhead { get; set; } = TimeSpan.FromDays(14);
}
