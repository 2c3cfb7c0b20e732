using NodaTime;
using NodaTime.Text;
using OnCall.Core.Rotations;

namespace OnCall.Infrastructure.Tests;

internal static class Samples
{
    public static readonly Instant Now = InstantPattern.ExtendedIso.Parse("2026-11-12T12:00:00Z").Value;

    public static RotationInput Input(string id = "platform", int members = 2) => new(
        id,
        "Platform",
        "America/New_York",
        new SupervisorInput("Dana", "dana@example.com", "@dana"),
        "PT45M",
        "cal@example.com",
        "P8W",
        [
            new LayerInput("primary", "P7D", "10:00", "2026-11-02", null, [.. Enumerable.Range(0, members).Select(i => new MemberInput($"Member {i}", $"m{i}@example.com"))]),
            new LayerInput("secondary", "PT12H", "08:00", "2026-11-02", "P3D", [new MemberInput("Lin", "lin@example.com")]),
        ]);

    public static Rotation Rotation(string id = "platform", int members = 2) =>
        Core.Rotations.Rotation.Create(Input(id, members).ToSettings(id), "feed-token-hash", Now);

    public static Override Cover(string id, string start, string end) => new(
        id,
        "primary",
        InstantPattern.ExtendedIso.Parse(start).Value,
        InstantPattern.ExtendedIso.Parse(end).Value,
        new Member("Sam", "sam@example.com"),
        "swap",
        Now);
}
