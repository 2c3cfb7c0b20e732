using OnCall.Core.Errors;
using OnCall.Core.Rotations;
using static OnCall.Core.Tests.Rotations;

namespace OnCall.Core.Tests;

public sealed class RotationInputTests
{
    [Fact]
    public void ToSettings_DesignExample_Parses()
    {
        var settings = Settings(layers: [Layer("primary"), Layer("secondary", offset: "P3D", members: [Lin, Ada])]);

        Assert.Equal((2, NodaTime.Duration.FromMinutes(30), 56), (settings.Layers.Count, settings.HandoffGrace, settings.Horizon.Days));
    }

    [Theory]
    [InlineData("Mars/Olympus_Mons", "timeZone")]
    [InlineData("", "timeZone")]
    public void ToSettings_BadTimeZone_NamesField(string zone, string field) =>
        AssertRejected(field, () => Settings(zone));

    [Fact]
    public void ToSettings_NoMembers_NamesMembersField() =>
        AssertRejected("layers[0].members", () => Input(layers: new LayerInput("primary", "P7D", "10:00", "2026-11-02", null, [])).ToSettings("platform"));

    [Theory]
    [InlineData("P0D")]
    [InlineData("-P1D")]
    [InlineData("PT30M")]
    [InlineData("P1M")]
    [InlineData("seven days")]
    [InlineData("P999999999D")]
    public void ToSettings_BadShiftLength_NamesField(string length) =>
        AssertRejected("layers[0].shiftLength", () => Settings(layers: Layer(length: length)));

    [Theory]
    [InlineData("0001-01-01")]
    [InlineData("9999-12-31")]
    public void ToSettings_AnchorOutOfRange_NamesField(string anchor) =>
        AssertRejected("layers[0].anchor", () => Settings(layers: Layer(anchor: anchor)));

    [Theory]
    [InlineData("9999-12-31T23:59:59Z")]
    [InlineData("0001-01-01T00:00:00Z")]
    [InlineData("tomorrow")]
    public void ParseInstant_OutOfRangeOrMalformed_NamesField(string value) =>
        AssertRejected("at", () => InputRules.ParseInstant(value, "at"));

    [Fact]
    public void ParseInstant_WithOffset_ConvertsToUtc() =>
        Assert.Equal(Utc("2026-11-02T15:00:00Z"), InputRules.ParseInstant("2026-11-02T10:00:00-05:00", "at"));

    [Fact]
    public void ToSettings_BadHandoffTime_NamesField() =>
        AssertRejected("layers[0].handoffTime", () => Settings(layers: Layer(handoff: "25:00")));

    [Fact]
    public void ToSettings_BadMemberEmail_NamesField() =>
        AssertRejected("layers[0].members[1].email", () => Settings(layers: Layer(members: [Ada, new MemberInput("Bo", "not-an-email")])));

    [Fact]
    public void ToSettings_DuplicateLayer_NamesSecondOne() =>
        AssertRejected("layers[1].name", () => Settings(layers: [Layer("primary"), Layer("primary")]));

    [Fact]
    public void ToSettings_HorizonOverAYear_NamesField() =>
        AssertRejected("horizon", () => (Input() with { Horizon = "P400D" }).ToSettings("platform"));

    [Fact]
    public void ToSettings_BodyIdDiffersFromUrl_NamesId() =>
        AssertRejected("id", () => Input().ToSettings("other"));

    [Fact]
    public void ToSettings_NoSupervisor_NamesField() =>
        AssertRejected("supervisor", () => (Input() with { Supervisor = null }).ToSettings("platform"));

    private static void AssertRejected(string field, Func<object> act)
    {
        var exception = Assert.Throws<ValidationFailedException>(act);
        Assert.Equal(field, exception.Field);
    }
}
