using NodaTime;
using OnCall.Core.Ports;
using OnCall.Core.Rotations;

namespace OnCall.Core.TimeOff;

/// <summary>Where a rotation is not covered: shifts whose engineer is away, and spans where a layer has no shift.</summary>
public sealed class CoverageService(RotationService rotations, ITimeOffRepository timeOff)
{
    /// <summary>The range a request covers when it names no end.</summary>
    public static readonly Duration DefaultRange = Duration.FromDays(30);

    /// <summary>
    /// The problems of [<paramref name="from"/>, <paramref name="to"/>) (default <paramref name="from"/> + 30 days, at
    /// most a year), ordered by start then layer. Gaps are clipped to the range; a conflict is the overlap of a shift
    /// (after overrides) and its engineer's time off, whole, as shifts are.
    /// </summary>
    public async Task<IReadOnlyList<CoverageProblem>> GetAsync(
        string rotationId,
        Instant from,
        Instant? to = null,
        CancellationToken cancellationToken = default)
    {
        RotationRules.RequireInstant(from, "from");
        var end = to ?? from + DefaultRange;
        RotationRules.RequireInstant(end, "to");

        // Validates the range (to after from, at most a year) and the rotation (404) before anything else is read.
        var shifts = await rotations.GetShiftsAsync(rotationId, from, end, cancellationToken);
        var aggregate = await rotations.GetAsync(rotationId, cancellationToken);
        var away = shifts.Count == 0
            ? []
            : await timeOff.ListAsync(rotationId, shifts.Min(s => s.Start), shifts.Max(s => s.End), cancellationToken);
        return Find(aggregate.Rotation.Settings.Layers.Select(l => l.Name), shifts, away, from, end);
    }

    /// <summary>
    /// The problems of [from, to) given the rotation's current <paramref name="layers"/>, the shifts overlapping the
    /// range and the time off overlapping those shifts.
    /// </summary>
    public static IReadOnlyList<CoverageProblem> Find(
        IEnumerable<string> layers,
        IReadOnlyList<Shift> shifts,
        IReadOnlyList<TimeOffEntry> timeOff,
        Instant from,
        Instant to)
    {
        ArgumentNullException.ThrowIfNull(layers);
        ArgumentNullException.ThrowIfNull(shifts);
        ArgumentNullException.ThrowIfNull(timeOff);
        var problems = new List<CoverageProblem>();
        var current = layers.ToHashSet(StringComparer.Ordinal);

        // A layer being removed at its next handoff still has shifts until then: their conflicts count, gaps after do not.
        foreach (var layer in current.Concat(shifts.Select(s => s.Layer)).Distinct(StringComparer.Ordinal))
        {
            var gaps = current.Contains(layer);
            var cursor = from;
            foreach (var shift in shifts.Where(s => s.Layer == layer).OrderBy(s => s.Start))
            {
                if (gaps && cursor < shift.Start)
                {
                    problems.Add(new CoverageProblem(layer, cursor, Instant.Min(shift.Start, to), CoverageProblemKind.Gap, null));
                }

                cursor = Instant.Max(cursor, shift.End);
                foreach (var entry in timeOff.Where(t => t.Overlaps(shift.Start, shift.End)
                    && string.Equals(t.Member, shift.Member.Email, StringComparison.OrdinalIgnoreCase)))
                {
                    problems.Add(new CoverageProblem(
                        layer,
                        Instant.Max(shift.Start, entry.Start),
                        Instant.Min(shift.End, entry.End),
                        CoverageProblemKind.Conflict,
                        shift.Member.Email));
                }
            }

            if (gaps && cursor < to)
            {
                problems.Add(new CoverageProblem(layer, cursor, to, CoverageProblemKind.Gap, null));
            }
        }

        return [.. problems.OrderBy(p => p.Start).ThenBy(p => p.Layer, StringComparer.Ordinal)];
    }
}
