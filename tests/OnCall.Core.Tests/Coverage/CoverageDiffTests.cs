using OnCall.Core.TimeOff;
using static OnCall.Core.Tests.Coverage.Notices;
using static OnCall.Core.Tests.Rotations;

namespace OnCall.Core.Tests.Coverage;

public sealed class CoverageDiffTests
{
    private const string Day0 = "2026-11-12T12:00:00Z";
    private const string Day1 = "2026-11-13T12:00:00Z";
    private const string Day14 = "2026-11-26T12:00:00Z";
    private const string Day15 = "2026-11-27T12:00:00Z";

    [Fact]
    public void Plan_ProblemNotKnown_Tells()
    {
        var step = Assert.Single(CoverageDiff.Plan([], [Conflict("2026-11-20T00:00:00Z", "2026-11-21T00:00:00Z")], Utc(Day0), Utc(Day14)));

        Assert.Equal(CoverageStepKind.Tell, step.Kind);
    }

    [Fact]
    public void Plan_SameConflictNextDay_Keeps()
    {
        var conflict = Conflict("2026-11-20T00:00:00Z", "2026-11-21T00:00:00Z");

        var step = Assert.Single(CoverageDiff.Plan([Known(conflict, Day0, Day14)], [conflict], Utc(Day1), Utc(Day15)));

        Assert.Equal(CoverageStepKind.Keep, step.Kind);
    }

    [Fact]
    public void Plan_ConflictExtended_Changes()
    {
        var known = Known(Conflict("2026-11-20T00:00:00Z", "2026-11-21T00:00:00Z"), Day0, Day14);

        var step = Assert.Single(CoverageDiff.Plan([known], [Conflict("2026-11-20T00:00:00Z", "2026-11-22T00:00:00Z")], Utc(Day0), Utc(Day14)));

        Assert.Equal(CoverageStepKind.Change, step.Kind);
    }

    [Fact]
    public void Plan_ConflictExtendedBeyondTheOldWindow_Changes()
    {
        // Conflicts are whole, not clipped: a change past the old window's end is still a change.
        var known = Known(Conflict("2026-11-26T00:00:00Z", "2026-11-27T00:00:00Z"), Day0, Day14);

        var step = Assert.Single(CoverageDiff.Plan([known], [Conflict("2026-11-26T00:00:00Z", "2026-11-28T00:00:00Z")], Utc(Day1), Utc(Day15)));

        Assert.Equal(CoverageStepKind.Change, step.Kind);
    }

    [Fact]
    public void Plan_GapAtWindowStartAsClockAdvances_Keeps()
    {
        // Only its past part is gone: nothing to tell and nothing to store.
        var known = Known(Gap(Day0, "2026-11-20T15:00:00Z"), Day0, Day14);

        var step = Assert.Single(CoverageDiff.Plan([known], [Gap(Day1, "2026-11-20T15:00:00Z")], Utc(Day1), Utc(Day15)));

        Assert.Equal(CoverageStepKind.Keep, step.Kind);
    }

    [Fact]
    public void Plan_GapToWindowEndAsWindowMoves_UpdatesSilently()
    {
        var known = Known(Gap("2026-11-25T15:00:00Z", Day14), Day0, Day14);

        var step = Assert.Single(CoverageDiff.Plan([known], [Gap("2026-11-25T15:00:00Z", Day15)], Utc(Day1), Utc(Day15)));

        Assert.Equal(CoverageStepKind.Update, step.Kind);
    }

    [Fact]
    public void Plan_GapEndingBeyondTheOldWindowComesIntoView_UpdatesSilently()
    {
        var known = Known(Gap(Day0, Day14), Day0, Day14);

        var step = Assert.Single(CoverageDiff.Plan([known], [Gap(Day1, "2026-11-27T00:00:00Z")], Utc(Day1), Utc(Day15)));

        Assert.Equal(CoverageStepKind.Update, step.Kind);
    }

    [Fact]
    public void Plan_GapShortenedWithinBothWindows_Changes()
    {
        var known = Known(Gap(Day0, "2026-11-20T15:00:00Z"), Day0, Day14);

        var step = Assert.Single(CoverageDiff.Plan([known], [Gap(Day1, "2026-11-18T15:00:00Z")], Utc(Day1), Utc(Day15)));

        Assert.Equal(CoverageStepKind.Change, step.Kind);
    }

    [Fact]
    public void Plan_ProblemGoneBeforeItEnds_Solves()
    {
        var known = Known(Conflict("2026-11-20T00:00:00Z", "2026-11-21T00:00:00Z"), Day0, Day14);

        var step = Assert.Single(CoverageDiff.Plan([known], [], Utc(Day1), Utc(Day15)));

        Assert.Equal(CoverageStepKind.Solve, step.Kind);
    }

    [Fact]
    public void Plan_ProblemEnded_Drops()
    {
        var known = Known(Conflict("2026-11-12T13:00:00Z", "2026-11-13T00:00:00Z"), Day0, Day14);

        var step = Assert.Single(CoverageDiff.Plan([known], [], Utc(Day1), Utc(Day15)));

        Assert.Equal(CoverageStepKind.Drop, step.Kind);
    }

    [Fact]
    public void Plan_SolvedProblemBack_Reopens()
    {
        var conflict = Conflict("2026-11-20T00:00:00Z", "2026-11-21T00:00:00Z");

        var step = Assert.Single(CoverageDiff.Plan([Known(conflict, Day0, Day14, CoverageNoticeKind.Solved)], [conflict], Utc(Day0), Utc(Day14)));

        Assert.Equal(CoverageStepKind.Reopen, step.Kind);
    }

    [Fact]
    public void Plan_SolvedProblemStillGone_Keeps()
    {
        var known = Known(Conflict("2026-11-20T00:00:00Z", "2026-11-21T00:00:00Z"), Day0, Day14, CoverageNoticeKind.Solved);

        var step = Assert.Single(CoverageDiff.Plan([known], [], Utc(Day1), Utc(Day15)));

        Assert.Equal(CoverageStepKind.Keep, step.Kind);
    }

    [Fact]
    public void Plan_KnownProblemBeyondAShorterWindow_Keeps()
    {
        var known = Known(Conflict("2026-11-25T00:00:00Z", "2026-11-26T00:00:00Z"), Day0, Day14);

        var step = Assert.Single(CoverageDiff.Plan([known], [], Utc(Day1), Utc("2026-11-20T12:00:00Z")));

        Assert.Equal(CoverageStepKind.Keep, step.Kind);
    }

    [Fact]
    public void Plan_SameSpanOtherEngineer_TellsAndSolves()
    {
        var known = Known(Conflict("2026-11-20T00:00:00Z", "2026-11-21T00:00:00Z"), Day0, Day14);

        var steps = CoverageDiff.Plan([known], [Conflict("2026-11-20T00:00:00Z", "2026-11-21T00:00:00Z", "lin@example.com")], Utc(Day0), Utc(Day14));

        Assert.Equal([CoverageStepKind.Tell, CoverageStepKind.Solve], steps.Select(s => s.Kind));
    }

    [Fact]
    public void Normalize_OverlappingConflictsOfOneEngineer_Merged()
    {
        var problems = CoverageDiff.Normalize(
            [Conflict("2026-11-20T00:00:00Z", "2026-11-21T00:00:00Z"), Conflict("2026-11-20T12:00:00Z", "2026-11-22T00:00:00Z")],
            Utc(Day0));

        Assert.Equal([Conflict("2026-11-20T00:00:00Z", "2026-11-22T00:00:00Z")], problems);
    }

    [Fact]
    public void Normalize_ConflictEndedBeforeFrom_LeftOut()
    {
        var problems = CoverageDiff.Normalize([Conflict("2026-11-10T00:00:00Z", "2026-11-11T00:00:00Z")], Utc(Day0));

        Assert.Empty(problems);
    }

    [Fact]
    public void IdFor_GapAtTheStartOfTwoInstancesWindows_IsTheSame()
    {
        var first = CoverageNotice.IdFor(Gap("2026-11-12T12:00:00.000Z", Day14), Utc("2026-11-12T12:00:00.000Z"));
        var second = CoverageNotice.IdFor(Gap("2026-11-12T12:00:00.040Z", Day14), Utc("2026-11-12T12:00:00.040Z"));

        Assert.Equal(first, second);
    }
}
