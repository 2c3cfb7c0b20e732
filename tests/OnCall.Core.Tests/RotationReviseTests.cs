using OnCall.Core.Rotations;
using static OnCall.Core.Tests.Rotations;

namespace OnCall.Core.Tests;

public sealed class RotationReviseTests
{
    private static readonly NodaTime.Instant MidShift = Utc("2026-11-12T12:00:00Z");

    [Fact]
    public void Revise_MembersChanged_KeepsCurrentShift()
    {
        var revised = Rotation().Revise(Settings(layers: Layer(members: [Sam, Ada])), MidShift);

        var current = ShiftExpander.OnCallAt(revised, [], MidShift).Single();

        Assert.Equal(("Lin", Utc("2026-11-09T15:00:00Z")), (current.Member.Name, current.Start));
    }

    [Fact]
    public void Revise_MembersChanged_TakesEffectAtNextHandoff()
    {
        var revised = Rotation().Revise(Settings(layers: Layer(members: [Sam, Ada])), MidShift);

        var next = Shifts(revised, "2026-11-16T15:00:00Z", "2026-11-30T15:00:00Z");

        // The order still counts from the anchor: the third week of 2026-11-02 goes to the first member again.
        Assert.Equal(["Sam", "Ada"], next.Select(s => s.Member.Name));
    }

    [Fact]
    public void Revise_MembersChanged_PastShiftsDoNotMove()
    {
        var before = Shifts(Rotation(), "2026-11-02T15:00:00Z", "2026-11-12T00:00:00Z");

        var revised = Rotation().Revise(Settings(layers: Layer(members: [Sam, Ada])), MidShift);

        Assert.Equal(before, Shifts(revised, "2026-11-02T15:00:00Z", "2026-11-12T00:00:00Z"));
    }

    [Fact]
    public void Revise_LayerNotStarted_ReplacesItAtOnce()
    {
        var revised = Rotation().Revise(Settings(layers: Layer(anchor: "2026-10-26")), Utc("2026-10-01T00:00:00Z"));

        var first = Shifts(revised, "2026-10-01T00:00:00Z", "2026-12-01T00:00:00Z")[0];

        Assert.Equal(Utc("2026-10-26T14:00:00Z"), first.Start);
    }

    [Fact]
    public void Revise_NothingChanged_AddsNoRevision()
    {
        var rotation = Rotation();

        var revised = rotation.Revise(Settings(), MidShift);

        Assert.Equal(rotation.History, revised.History);
    }

    [Fact]
    public void Revise_LayerRemoved_EndsAtNextHandoff()
    {
        var rotation = Rotation(layers: [Layer("primary"), Layer("secondary", members: [Lin, Ada])]);

        var revised = rotation.Revise(Settings(layers: Layer("primary")), MidShift);

        var secondary = Shifts(revised, "2026-11-01T00:00:00Z", "2026-12-01T00:00:00Z").Where(s => s.Layer == "secondary");
        Assert.Equal(Utc("2026-11-16T15:00:00Z"), secondary.Max(s => s.End));
    }

    [Fact]
    public void Revise_TwiceBeforeNextHandoff_LastChangeWins()
    {
        var once = Rotation().Revise(Settings(layers: Layer(members: [Sam, Ada])), MidShift);

        var twice = once.Revise(Settings(layers: Layer(members: [Ada, Sam])), MidShift + NodaTime.Duration.FromHours(1));

        Assert.Equal(["Ada", "Sam"], Shifts(twice, "2026-11-16T15:00:00Z", "2026-11-30T15:00:00Z").Select(s => s.Member.Name));
    }
}
