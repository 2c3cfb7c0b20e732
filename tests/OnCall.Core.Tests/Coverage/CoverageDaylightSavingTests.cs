using OnCall.Core.Rotations;
using OnCall.Core.TimeOff;
using static OnCall.Core.Tests.Rotations;

namespace OnCall.Core.Tests.Coverage;

/// <summary>Coverage spans are the shifts' exact instants across DST changes, whole-hour and half-hour.</summary>
public sealed class CoverageDaylightSavingTests
{
    [Fact]
    public void Find_NewYorkSpringForward_ConflictIsTheTwentyThreeHourShift()
    {
        // 10:00 EST on 2027-03-13 (15:00Z) to 10:00 EDT on the 14th (14:00Z).
        var conflict = Assert.Single(Conflicts("America/New_York", "2027-03-01", "2027-03-13T00:00:00Z", "2027-03-15T00:00:00Z"));

        Assert.Equal(("2027-03-13T15:00:00Z", "2027-03-14T14:00:00Z"), Span(conflict));
    }

    [Fact]
    public void Find_NewYorkFallBack_ConflictIsTheTwentyFiveHourShift()
    {
        // 10:00 EDT on 2026-10-31 (14:00Z) to 10:00 EST on 2026-11-01 (15:00Z).
        var conflict = Assert.Single(Conflicts("America/New_York", "2026-10-25", "2026-10-31T00:00:00Z", "2026-11-02T00:00:00Z"));

        Assert.Equal(("2026-10-31T14:00:00Z", "2026-11-01T15:00:00Z"), Span(conflict));
    }

    [Fact]
    public void Find_LordHoweSpringForward_ConflictIsTheTwentyThreeAndAHalfHourShift()
    {
        // 09:00 at UTC+10:30 on 2026-10-03 (22:30Z on the 2nd) to 09:00 at UTC+11 on the 4th (22:00Z on the 3rd).
        var conflict = Assert.Single(Conflicts("Australia/Lord_Howe", "2026-10-01", "2026-10-02T12:00:00Z", "2026-10-04T12:00:00Z", handoff: "09:00"));

        Assert.Equal(("2026-10-02T22:30:00Z", "2026-10-03T22:00:00Z"), Span(conflict));
    }

    [Fact]
    public void Find_LordHoweFallBack_ConflictIsTheTwentyFourAndAHalfHourShift()
    {
        // 09:00 at UTC+11 on 2027-04-03 (22:00Z on the 2nd) to 09:00 at UTC+10:30 on the 4th (22:30Z on the 3rd).
        var conflict = Assert.Single(Conflicts("Australia/Lord_Howe", "2027-04-01", "2027-04-02T12:00:00Z", "2027-04-04T12:00:00Z", handoff: "09:00"));

        Assert.Equal(("2027-04-02T22:00:00Z", "2027-04-03T22:30:00Z"), Span(conflict));
    }

    [Fact]
    public void Find_NewYorkLayerStartingAfterSpringForward_GapEndsAtTenEdt()
    {
        var rotation = Rotation("America/New_York", Layer(length: "P1D", anchor: "2027-03-15"));

        var gap = Assert.Single(Find(rotation, [], "2027-03-13T00:00:00Z", "2027-03-16T00:00:00Z"), p => p.Kind == CoverageProblemKind.Gap);

        Assert.Equal(("2027-03-13T00:00:00Z", "2027-03-15T14:00:00Z"), Span(gap));
    }

    [Fact]
    public void Find_LordHoweLayerStartingAfterSpringForward_GapEndsAtNineUtcPlusEleven()
    {
        var rotation = Rotation("Australia/Lord_Howe", Layer(length: "P1D", handoff: "09:00", anchor: "2026-10-05"));

        var gap = Assert.Single(Find(rotation, [], "2026-10-03T00:00:00Z", "2026-10-06T00:00:00Z"), p => p.Kind == CoverageProblemKind.Gap);

        Assert.Equal(("2026-10-03T00:00:00Z", "2026-10-04T22:00:00Z"), Span(gap));
    }

    /// <summary>Ada (first of Ada, Lin, daily from <paramref name="anchor"/>) is away from <paramref name="from"/> to <paramref name="to"/>.</summary>
    private static IEnumerable<CoverageProblem> Conflicts(string zone, string anchor, string from, string to, string handoff = "10:00")
    {
        var rotation = Rotation(zone, Layer(length: "P1D", handoff: handoff, anchor: anchor));
        var away = new TimeOffEntry("t1", Ada.Email, Utc(from), Utc(to), null, Utc("2026-01-01T00:00:00Z"));
        return Find(rotation, [away], from, to).Where(p => p.Kind == CoverageProblemKind.Conflict);
    }

    private static IReadOnlyList<CoverageProblem> Find(Rotation rotation, IReadOnlyList<TimeOffEntry> away, string from, string to) =>
        CoverageService.Find(rotation.Settings.Layers.Select(l => l.Name), Shifts(rotation, from, to), away, Utc(from), Utc(to));

    private static (string, string) Span(CoverageProblem p) => (p.Start.ToString(), p.End.ToString());
}
