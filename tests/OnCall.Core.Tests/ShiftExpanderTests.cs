using OnCall.Core.Rotations;
using static OnCall.Core.Tests.Rotations;

namespace OnCall.Core.Tests;

public sealed class ShiftExpanderTests
{
    [Fact]
    public void Expand_WeeklyLayer_RotatesMembersInOrder()
    {
        var rotation = Rotation(layers: Layer(members: [Ada, Lin, Sam]));

        var shifts = Shifts(rotation, "2026-11-02T15:00:00Z", "2026-11-30T15:00:00Z");

        Assert.Equal(["Ada", "Lin", "Sam", "Ada"], shifts.Select(s => s.Member.Name));
    }

    [Fact]
    public void Expand_BeforeAnchor_HasNoShifts()
    {
        var rotation = Rotation();

        Assert.Empty(Shifts(rotation, "2026-10-01T00:00:00Z", "2026-11-02T15:00:00Z"));
    }

    [Fact]
    public void Expand_Offset_StartsLayerLater()
    {
        var rotation = Rotation(layers: Layer(name: "secondary", offset: "P3D"));

        var first = Shifts(rotation, "2026-11-01T00:00:00Z", "2026-11-30T00:00:00Z")[0];

        Assert.Equal(Utc("2026-11-05T15:00:00Z"), first.Start);
    }

    [Fact]
    public void Expand_SameRotationTwice_YieldsSameKeys()
    {
        var first = Shifts(Rotation(), "2026-11-01T00:00:00Z", "2027-03-01T00:00:00Z");
        var second = Shifts(Rotation(), "2026-11-01T00:00:00Z", "2027-03-01T00:00:00Z");

        Assert.Equal(first.Select(s => s.Key.EventId), second.Select(s => s.Key.EventId));
    }

    [Fact]
    public void Expand_ShiftOverlappingRangeStart_IsReturnedWhole()
    {
        var shift = Shifts(Rotation(), "2026-11-05T00:00:00Z", "2026-11-06T00:00:00Z").Single();

        Assert.Equal((Utc("2026-11-02T15:00:00Z"), Utc("2026-11-09T15:00:00Z")), (shift.Start, shift.End));
    }

    [Fact]
    public void Expand_OverrideInsideShift_SplitsItAroundTheCover()
    {
        var cover = Cover("primary", "2026-11-04T15:00:00Z", "2026-11-05T15:00:00Z", Sam);

        var shifts = Shifts(Rotation(), "2026-11-02T15:00:00Z", "2026-11-09T15:00:00Z", cover);

        Assert.Equal(
            [("Ada", "2026-11-02T15:00:00Z"), ("Sam", "2026-11-04T15:00:00Z"), ("Ada", "2026-11-05T15:00:00Z")],
            shifts.Select(s => (s.Member.Name, s.Start.ToString())));
    }

    [Fact]
    public void Expand_OverrideAcrossHandoff_CoversBothShifts()
    {
        var cover = Cover("primary", "2026-11-08T15:00:00Z", "2026-11-10T15:00:00Z", Sam);

        var onCall = ShiftExpander.OnCallAt(Rotation(), [cover], Utc("2026-11-10T00:00:00Z")).Single();

        Assert.Equal(("Sam", "o1"), (onCall.Member.Name, onCall.OverrideId));
    }

    [Fact]
    public void Expand_OverrideOnOtherLayer_LeavesLayerAlone()
    {
        var rotation = Rotation(layers: [Layer("primary"), Layer("secondary", members: [Lin, Ada])]);
        var cover = Cover("secondary", "2026-11-04T15:00:00Z", "2026-11-05T15:00:00Z", Sam);

        var primary = ShiftExpander.OnCallAt(rotation, [cover], Utc("2026-11-04T20:00:00Z")).Single(s => s.Layer == "primary");

        Assert.Equal("Ada", primary.Member.Name);
    }

    [Fact]
    public void Key_EventId_IsBase32HexOfValidLength()
    {
        var id = Shifts(Rotation(), "2026-11-02T15:00:00Z", "2026-11-03T00:00:00Z")[0].Key.EventId;

        Assert.Matches("^[0-9a-v]{32}$", id);
    }

    [Fact]
    public void Key_DifferentStarts_GiveDifferentEventIds()
    {
        var shifts = Shifts(Rotation(), "2026-11-02T15:00:00Z", "2027-11-02T15:00:00Z");

        Assert.Equal(shifts.Count, shifts.Select(s => s.Key.EventId).Distinct().Count());
    }
}
