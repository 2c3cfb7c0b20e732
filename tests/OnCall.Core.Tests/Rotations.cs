using NodaTime;
using NodaTime.Text;
using OnCall.Core.Rotations;

namespace OnCall.Core.Tests;

/// <summary>Builds rotations from the domain types, checked by the same rules the API applies.</summary>
internal static class Rotations
{
    public static readonly Member Ada = new("Ada", "ada@example.com");
    public static readonly Member Lin = new("Lin", "lin@example.com");
    public static readonly Member Sam = new("Sam", "sam@example.com");

    public static LayerDefinition Layer(string name = "primary", string length = "P7D", string handoff = "10:00", string anchor = "2026-11-02", string? offset = null, params Member[] members) =>
        new(
            name,
            members.Length == 0 ? [Ada, Lin] : members,
            PeriodPattern.NormalizingIso.Parse(length).Value,
            LayerDefinition.HandoffTimePattern.Parse(handoff).Value,
            LocalDatePattern.Iso.Parse(anchor).Value,
            offset is null ? Period.Zero : PeriodPattern.NormalizingIso.Parse(offset).Value);

    public static RotationSettings Settings(string zone = "America/New_York", params LayerDefinition[] layers)
    {
        var settings = new RotationSettings(
            "platform", "Platform", DateTimeZoneProviders.Tzdb[zone], new Supervisor("Dana", "dana@example.com"),
            RotationSettings.DefaultHandoffGrace, null, RotationSettings.DefaultHorizon, layers.Length == 0 ? [Layer()] : layers);
        RotationRules.Validate(settings);
        return settings;
    }

    public static Rotation Rotation(string zone = "America/New_York", params LayerDefinition[] layers) =>
        Core.Rotations.Rotation.Create(Settings(zone, layers), "hash", Utc("2026-01-01T00:00:00Z"));

    public static Instant Utc(string text) => InstantPattern.ExtendedIso.Parse(text).Value;

    public static IReadOnlyList<Shift> Shifts(Rotation rotation, string from, string to, params Override[] overrides) =>
        ShiftExpander.Expand(rotation, overrides, Utc(from), Utc(to));

    public static Override Cover(string layer, string start, string end, Member member, string id = "o1") =>
        new(id, layer, Utc(start), Utc(end), member, "swap", Utc("2026-01-01T00:00:00Z"));
}
