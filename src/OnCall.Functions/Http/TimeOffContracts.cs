using NodaTime;
using OnCall.Core.Errors;
using OnCall.Core.TimeOff;

namespace OnCall.Functions.Http;

/// <summary>The body of <c>POST /api/rotations/{id}/time-off</c>; <see cref="Member"/> is the member's email.</summary>
public sealed record TimeOffRequest(string? Member, string? Start, string? End, string? Reason)
{
    public TimeOffSpec ToSpec()
    {
        var errors = new ValidationErrors();
        var start = WireFormat.ParseInstant(Start, "start", errors);
        var end = WireFormat.ParseInstant(End, "end", errors);

        // Start and end stand in for each other when one did not parse, so only the real fault is reported.
        var known = start ?? end ?? Instant.FromUnixTimeSeconds(0);
        var (from, to) = start is { } s && end is { } e ? (s, e) : (known, known + Duration.FromMinutes(1));
        var spec = new TimeOffSpec(WireFormat.Text(Member), from, to, WireFormat.OptionalText(Reason));

        TimeOffRules.Check(spec, errors);
        errors.ThrowIfAny();
        return spec;
    }
}

public sealed record TimeOffResponse(string Id, string Member, Instant Start, Instant End, string? Reason, Instant CreatedAt);

/// <summary>One coverage problem; <see cref="Kind"/> is <c>conflict</c> or <c>gap</c>, <see cref="Member"/> null for a gap.</summary>
public sealed record CoverageProblemResponse(string Layer, Instant Start, Instant End, string Kind, string? Member);

public sealed record CoverageResponse(string Rotation, Instant From, Instant To, IReadOnlyList<CoverageProblemResponse> Problems);

public static class TimeOffContracts
{
    public static TimeOffResponse ToResponse(TimeOffEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return new(entry.Id, entry.Member, entry.Start, entry.End, entry.Reason, entry.CreatedAt);
    }

    public static CoverageProblemResponse ToResponse(CoverageProblem problem)
    {
        ArgumentNullException.ThrowIfNull(problem);
        return new(
            problem.Layer,
            problem.Start,
            problem.End,
            problem.Kind == CoverageProblemKind.Conflict ? "conflict" : "gap",
            problem.Member);
    }
}
