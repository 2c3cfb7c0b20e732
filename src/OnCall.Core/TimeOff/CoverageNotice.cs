using System.Security.Cryptography;
using System.Text;
using NodaTime;
using OnCall.Core.Time;
using OnCall.Core.Handoffs;

namespace OnCall.Core.TimeOff;

/// <summary>What people were last told about a coverage problem.</summary>
public enum CoverageNoticeKind
{
    /// <summary>The problem was found.</summary>
    Problem,

    /// <summary>The problem changed (its span, within the window both were seen in).</summary>
    Changed,

    /// <summary>The problem went away before it ended.</summary>
    Solved,
}

/// <summary>
/// The notice state of one coverage problem of a rotation: the problem as last seen (<see cref="Problem"/>, computed in
/// [<see cref="WindowFrom"/>, <see cref="WindowTo"/>), to which its gaps were clipped), what people were last told
/// (<see cref="Told"/>; <see cref="WasStart"/>/<see cref="WasEnd"/> the span before a change) and that message's
/// delivery, claimed with an ETag write before it is sent, as a handoff's notices are.
/// </summary>
public sealed record CoverageNotice(
    string RotationId,
    string Id,
    CoverageProblem Problem,
    Instant WindowFrom,
    Instant WindowTo,
    CoverageNoticeKind Told,
    HandoffNotice Delivery)
{
    public Instant? WasStart { get; init; }

    public Instant? WasEnd { get; init; }

    /// <summary>
    /// The id a newly found problem gets: 32 hex digits of a hash of kind, layer, member and start, so two instances
    /// finding the same problem make the same row and only one insert wins. A gap that starts at the window's start
    /// began earlier (it is clipped), so its start is not part of the id: the windows of two instances differ slightly.
    /// </summary>
    public static string IdFor(CoverageProblem problem, Instant windowFrom)
    {
        ArgumentNullException.ThrowIfNull(problem);
        var start = problem.Kind == CoverageProblemKind.Gap && problem.Start <= windowFrom
            ? "open"
            : InstantText.FormatWholeSeconds(problem.Start);
        var key = $"{problem.Kind}\n{problem.Layer}\n{problem.Member?.ToUpperInvariant()}\n{start}";
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)).AsSpan(0, 16));
    }
}
