using NodaTime;
using OnCall.Core.Ports;

namespace OnCall.Core.TimeOff;

public enum CoverageStepKind
{
    /// <summary>A problem not known yet: tell it.</summary>
    Tell,

    /// <summary>A problem told as solved is back: tell it as a problem again.</summary>
    Reopen,

    /// <summary>A known problem changed within the window both were seen in: tell it again.</summary>
    Change,

    /// <summary>A known problem looks different only because the window moved: store it, tell nobody.</summary>
    Update,

    /// <summary>A known problem that has not ended is gone: tell it is solved.</summary>
    Solve,

    /// <summary>A known problem that has ended: forget it.</summary>
    Drop,

    /// <summary>Nothing changed (or the problem is out of view): only a failed delivery is retried.</summary>
    Keep,
}

/// <summary>
/// One thing a coverage check does: <see cref="Stored"/> is the known notice, <see cref="Current"/> the problem found
/// now.
/// </summary>
public sealed record CoverageStep(CoverageStepKind Kind, StoredCoverageNotice? Stored, CoverageProblem? Current);

/// <summary>
/// Compares the problems found in the window [from, to) with the notices stored before. The window moves every run and
/// gaps are clipped to it, so a stored problem and a current one are compared only within the part of time both windows
/// saw: a gap reaching the window's edge does not count as changed because the edge moved.
/// </summary>
public static class CoverageDiff
{
    /// <summary>
    /// The problems as notices see them: ended ones left out (a conflict of a shift begun earlier can be), and overlapping
    /// problems of one layer, kind and engineer (two time off entries in one shift) merged into one.
    /// </summary>
    public static IReadOnlyList<CoverageProblem> Normalize(IEnumerable<CoverageProblem> problems, Instant from)
    {
        ArgumentNullException.ThrowIfNull(problems);
        var result = new List<CoverageProblem>();
        foreach (var group in problems.Where(p => p.End > from).GroupBy(p => (p.Kind, p.Layer, Member: p.Member?.ToUpperInvariant())))
        {
            CoverageProblem? open = null;
            foreach (var problem in group.OrderBy(p => p.Start))
            {
                if (open is not null && problem.Start < open.End)
                {
                    open = open with { End = Instant.Max(open.End, problem.End) };
                    continue;
                }

                if (open is not null)
                {
                    result.Add(open);
                }

                open = problem;
            }

            result.Add(open!);
        }

        return [.. result.OrderBy(p => p.Start).ThenBy(p => p.Layer, StringComparer.Ordinal)];
    }

    public static IReadOnlyList<CoverageStep> Plan(
        IReadOnlyList<StoredCoverageNotice> stored,
        IReadOnlyList<CoverageProblem> current,
        Instant from,
        Instant to)
    {
        ArgumentNullException.ThrowIfNull(stored);
        ArgumentNullException.ThrowIfNull(current);
        var steps = new List<CoverageStep>();
        var unmatched = stored.ToList();
        foreach (var problem in current)
        {
            var match = unmatched
                .Where(s => SameProblem(s.Notice.Problem, problem))
                .OrderByDescending(s => Overlap(s.Notice.Problem, problem))
                .ThenBy(s => s.Notice.Problem.Start)
                .FirstOrDefault();
            if (match is null)
            {
                steps.Add(new CoverageStep(CoverageStepKind.Tell, null, problem));
                continue;
            }

            unmatched.Remove(match);
            steps.Add(new CoverageStep(Compare(match.Notice, problem, from, to), match, problem));
        }

        foreach (var gone in unmatched)
        {
            steps.Add(new CoverageStep(Vanished(gone.Notice, from, to), gone, null));
        }

        return steps;
    }

    private static CoverageStepKind Compare(CoverageNotice known, CoverageProblem problem, Instant from, Instant to)
    {
        if (known.Told == CoverageNoticeKind.Solved)
        {
            return CoverageStepKind.Reopen;
        }

        if (problem.Kind == CoverageProblemKind.Conflict)
        {
            // A conflict is whole (a shift overlapping the window and the time off overlapping it): never clipped.
            return (known.Problem.Start, known.Problem.End) != (problem.Start, problem.End) ? CoverageStepKind.Change
                : known.Problem.Member != problem.Member ? CoverageStepKind.Update
                : CoverageStepKind.Keep;
        }

        // A gap is clipped to its window: compare only the time both windows saw, [latest start, earliest end).
        var (commonFrom, commonTo) = (Instant.Max(known.WindowFrom, from), Instant.Min(known.WindowTo, to));
        return Clip(known.Problem, commonFrom, commonTo) != Clip(problem, commonFrom, commonTo) ? CoverageStepKind.Change
            : Clip(known.Problem, from, to) != Clip(problem, from, to) ? CoverageStepKind.Update
            : CoverageStepKind.Keep;
    }

    private static CoverageStepKind Vanished(CoverageNotice known, Instant from, Instant to)
    {
        if (known.Problem.End <= from)
        {
            return CoverageStepKind.Drop;
        }

        // Not in view (a shorter look-ahead than when it was found): neither solved nor ended.
        var (commonFrom, commonTo) = (Instant.Max(known.WindowFrom, from), Instant.Min(known.WindowTo, to));
        var inView = known.Problem.Kind == CoverageProblemKind.Conflict
            ? known.Problem.Start < to
            : Clip(known.Problem, commonFrom, commonTo) is not null;
        return known.Told == CoverageNoticeKind.Solved || !inView ? CoverageStepKind.Keep : CoverageStepKind.Solve;
    }

    private static bool SameProblem(CoverageProblem a, CoverageProblem b) =>
        a.Kind == b.Kind
        && string.Equals(a.Layer, b.Layer, StringComparison.Ordinal)
        && string.Equals(a.Member, b.Member, StringComparison.OrdinalIgnoreCase)
        && a.Start < b.End && b.Start < a.End;

    private static Duration Overlap(CoverageProblem a, CoverageProblem b) =>
        Instant.Min(a.End, b.End) - Instant.Max(a.Start, b.Start);

    /// <summary>The part of the problem's span within [from, to), or null when there is none.</summary>
    private static (Instant Start, Instant End)? Clip(CoverageProblem problem, Instant from, Instant to)
    {
        var (start, end) = (Instant.Max(problem.Start, from), Instant.Min(problem.End, to));
        return start < end ? (start, end) : null;
    }
}
