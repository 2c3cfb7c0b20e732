using NodaTime;
using NodaTime.Text;
using OnCall.Core.Rotations;

namespace OnCall.Infrastructure.Tests;

internal static class Samples
{
    public static readonly Instant Now = InstantPattern.ExtendedIso.Parse("2026-11-12T12:00:00Z").Value;

    public static RotationSettings Settings(string id = "platform", int members = 2)
    {
        var settings = new RotationSettings(
            id,
            "Platform",
            DateTimeZoneProviders.Tzdb["America/New_York"],
            new Supervisor("Dana", "dana@example.com", "@dana"),
            Duration.FromMinutes(45),
            "cal@example.com",
            Period.FromDays(56),
            [
                new LayerDefinition("primary", [.. Enumerable.Range(0, members).Select(i => new Member($"Member {i}", $"m{i}@example.com"))], Period.FromDays(7), new LocalTime(10, 0), new LocalDate(2026, 11, 2), Period.Zero),
                new LayerDefinition("secondary", [new Member("Lin", "lin@example.com")], Period.FromHours(12), new LocalTime(8, 0), new LocalDate(2026, 11, 2), Period.FromDays(3)),
            ]);
        RotationRules.Validate(settings);
        return settings;
    }

    public static Rotation Rotation(string id = "platform", int members = 2) =>
        Core.Rotations.Rotation.Create(Settings(id, members), "feed-token-hash", Now);

    public static Override Cover(string id, string start, string end) => new(
        id,
        "primary",
        InstantPattern.ExtendedIso.Parse(start).Value,
        InstantPattern.ExtendedIso.Parse(end).Value,
        new Member("Sam", "sam@example.com"),
        "swap",
        Now);
}
