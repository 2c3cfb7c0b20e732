using NodaTime;
using OnCall.Core.Handoffs;
using static OnCall.Core.Tests.Rotations;

namespace OnCall.Core.Tests;

public sealed class HandoffPlannerTests
{
    private static readonly Instant Now = Utc("2026-11-09T12:00:00Z");

    [Fact]
    public void Boundaries_WeeklyLayer_OneAtTheHandoffWithOutgoingAndIncoming()
    {
        var handoff = Assert.Single(HandoffPlanner.Boundaries(Rotation(), [], Utc("2026-11-08T00:00:00Z"), Utc("2026-11-10T00:00:00Z"), Now));

        Assert.Equal((Utc("2026-11-09T15:00:00Z"), Ada, Lin), (handoff.Due, handoff.Outgoing, handoff.Incoming));
    }

    [Fact]
    public void Boundaries_NextShiftSamePerson_NoHandoff()
    {
        var solo = Rotation(layers: Layer(members: [Ada]));

        Assert.Empty(HandoffPlanner.Boundaries(solo, [], Utc("2026-11-08T00:00:00Z"), Utc("2026-11-10T00:00:00Z"), Now));
    }

    [Fact]
    public void Boundaries_OverrideMidShift_HandoffsAtItsStartAndEnd()
    {
        var cover = Cover("primary", "2026-11-04T12:00:00Z", "2026-11-05T12:00:00Z", Sam);

        var dues = HandoffPlanner.Boundaries(Rotation(), [cover], Utc("2026-11-04T00:00:00Z"), Utc("2026-11-06T00:00:00Z"), Now).Select(h => (h.Due, h.Incoming.Name));

        Assert.Equal([(Utc("2026-11-04T12:00:00Z"), "Sam"), (Utc("2026-11-05T12:00:00Z"), "Ada")], dues);
    }

    [Fact]
    public void Boundaries_AcrossDstEnd_KeepsLocalHandoffTime()
    {
        var handoff = Assert.Single(HandoffPlanner.Boundaries(Rotation(layers: Layer(anchor: "2026-10-26")), [], Utc("2026-11-01T00:00:00Z"), Utc("2026-11-03T00:00:00Z"), Now));

        Assert.Equal(Utc("2026-11-02T15:00:00Z"), handoff.Due);
    }

    [Fact]
    public void IdFor_SameInputs_SameUrlSafeIdCarryingTheDueMinute()
    {
        var id = Handoff.IdFor("platform", "primary", Utc("2026-11-09T15:00:00Z"));

        Assert.Equal(id, Handoff.IdFor("platform", "primary", Utc("2026-11-09T15:00:00Z")));
        Assert.Matches("^202611091500-[0-9a-v]{20}$", id);
        Assert.Equal(Utc("2026-11-09T15:00:00Z"), Handoff.DueMinuteOf(id));
    }

    [Theory]
    [InlineData("202611091500-AAAAAAAAAAAAAAAAAAAA")]
    [InlineData("../x")]
    [InlineData("202613091500-00000000000000000000")]
    public void DueMinuteOf_NotAHandoffId_Null(string id) => Assert.Null(Handoff.DueMinuteOf(id));

    [Theory]
    [InlineData(45, "45 min")]
    [InlineData(125, "2 h 05 min")]
    [InlineData(1500, "1 d 1 h")]
    public void Span_Minutes_ReadableText(int minutes, string expected) =>
        Assert.Equal(expected, HandoffMessages.Span(Duration.FromMinutes(minutes)));
}
