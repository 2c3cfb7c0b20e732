using NodaTime;
using OnCall.Core.Errors;
using OnCall.Core.Rotations;
using static OnCall.Core.Tests.Rotations;

namespace OnCall.Core.Tests;

public sealed class RotationRulesTests
{
    [Fact]
    public void Validate_DesignExample_Passes()
    {
        var settings = Settings(layers: [Layer("primary"), Layer("secondary", offset: "P3D", members: [Lin, Ada])]);

        Assert.Equal((2, Duration.FromMinutes(30), 56), (settings.Layers.Count, settings.HandoffGrace, settings.Horizon.Days));
    }

    [Theory]
    [InlineData("P0D")]
    [InlineData("P-1D")]
    [InlineData("PT30M")]
    [InlineData("P1M")]
    [InlineData("PT2562048H")]
    public void Validate_BadShiftLength_NamesField(string length) =>
        AssertRejected("layers[0].shiftLength", () => Settings(layers: Layer(length: length)));

    [Theory]
    [InlineData("0001-01-01")]
    [InlineData("9999-12-31")]
    public void Validate_AnchorOutOfRange_NamesField(string anchor) =>
        AssertRejected("layers[0].anchor", () => Settings(layers: Layer(anchor: anchor)));

    [Fact]
    public void Validate_BadMemberEmail_NamesField() =>
        AssertRejected("layers[0].members[1].email", () => Settings(layers: Layer(members: [Ada, new Member("Bo", "not-an-email")])));

    [Fact]
    public void Validate_DuplicateLayer_NamesSecondOne() =>
        AssertRejected("layers[1].name", () => Settings(layers: [Layer("primary"), Layer("primary")]));

    [Theory]
    [InlineData("Ada\0")]
    [InlineData("Ada\u0007")]
    [InlineData("\u001b[31mAda")]
    public void Validate_ControlCharacterInName_NamesField(string name) =>
        AssertRejected("layers[0].members[0].name", () => Settings(layers: Layer(members: [new Member(name, "ada@example.com")])));

    [Fact]
    public void Validate_TooManyPeople_NamesLayers()
    {
        var people = Enumerable.Range(0, RotationRules.MaxPeople + 1).Select(i => new Member($"P{i}", $"p{i}@example.com")).ToArray();

        AssertRejected("layers", () => Settings(layers: [Layer("primary", members: people[..150]), Layer("secondary", members: people[150..])]));
    }

    [Fact]
    public void Validate_SeveralBadFields_ReportsEveryOne()
    {
        var settings = Settings() with { Name = "", HandoffGrace = Duration.FromDays(2) };

        var exception = Assert.Throws<ValidationFailedException>(() => RotationRules.Validate(settings));

        Assert.Equal(["name", "handoffGrace"], exception.Errors.Keys);
    }

    [Fact]
    public void CheckOverride_NotWholeMinutes_NamesStart()
    {
        var spec = new OverrideSpec("primary", Utc("2026-11-02T10:00:00Z") + Duration.FromTicks(1), Utc("2026-11-02T11:00:00Z"), Sam, null);

        AssertRejected("start", () => Check(spec));
    }

    [Fact]
    public void CheckOverride_EndBeforeStart_NamesEnd() =>
        AssertRejected("end", () => Check(new OverrideSpec("primary", Utc("2026-11-02T11:00:00Z"), Utc("2026-11-02T10:00:00Z"), Sam, null)));

    [Fact]
    public void CheckOverride_ControlCharacterInReason_NamesReason() =>
        AssertRejected("reason", () => Check(new OverrideSpec("primary", Utc("2026-11-02T10:00:00Z"), Utc("2026-11-02T11:00:00Z"), Sam, "swap\u0000")));

    [Theory]
    [InlineData("9999-12-31T23:59:59Z")]
    [InlineData("0001-01-01T00:00:00Z")]
    public void RequireInstant_OutOfRange_NamesField(string value) =>
        AssertRejected("at", () => RotationRules.RequireInstant(Utc(value), "at"));

    private static OverrideSpec Check(OverrideSpec spec)
    {
        var errors = new ValidationErrors();
        RotationRules.CheckOverride(spec, errors);
        errors.ThrowIfAny();
        return spec;
    }

    private static void AssertRejected(string field, Func<object> act)
    {
        var exception = Assert.Throws<ValidationFailedException>(act);
        Assert.Equal(field, exception.Field);
    }
}
