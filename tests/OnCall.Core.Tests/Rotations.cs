using NodaTime;
using NodaTime.Text;
using OnCall.Core.Rotations;

namespace OnCall.Core.Tests;

/// <summary>Builds rotations the way clients do: through <see cref="RotationInput"/>.</summary>
internal static class Rotations
{
    public static readonly MemberInput Ada = new("Ada", "ada@example.com");
    public static readonly MemberInput Lin = new("Lin", "lin@example.com");
    public static readonly MemberInput Sam = new("Sam", "sam@example.com");

    public static LayerInput Layer(string name = "primary", string length = "P7D", string handoff = "10:00", string anchor = "2026-11-02", string? offset = null, params MemberInput[] members) =>
        new(name, length, handoff, anchor, offset, members.Length == 0 ? [Ada, Lin] : members);

    public static RotationInput Input(string zone = "America/New_York", params LayerInput[] layers) =>
        new("platform", "Platform", zone, new SupervisorInput("Dana", "dana@example.com", null), null, null, null, layers.Length == 0 ? [Layer()] : layers);

    public static RotationSettings Settings(string zone = "America/New_York", params LayerInput[] layers) => Input(zone, layers).ToSettings("platform");

    public static Rotation Rotation(string zone = "America/New_York", params LayerInput[] layers) =>
        Core.Rotations.Rotation.Create(Settings(zone, layers), "hash", Utc("2026-01-01T00:00:00Z"));

    public static Instant Utc(string text) => InstantPattern.ExtendedIso.Parse(text).Value;

    public static IReadOnlyList<Shift> Shifts(Rotation rotation, string from, string to, params Override[] overrides) =>
        ShiftExpander.Expand(rotation, overrides, Utc(from), Utc(to));

    public static Override Cover(string layer, string start, string end, MemberInput member, string id = "o1") =>
        new(id, layer, Utc(start), Utc(end), new Member(member.Name!, member.Email!), "swap", Utc("2026-01-01T00:00:00Z"));
}
