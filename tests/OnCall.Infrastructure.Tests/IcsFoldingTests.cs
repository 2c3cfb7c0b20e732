using System.Text;
using NodaTime;
using OnCall.Core.Feeds;
using OnCall.Core.Rotations;
using OnCall.Infrastructure.Feeds;
using OnCall.TestSupport;

namespace OnCall.Infrastructure.Tests;

/// <summary>The hand-written writer's RFC 5545 details: folding at 75 octets without splitting UTF-8, and TEXT escaping.</summary>
public sealed class IcsFoldingTests
{
    private static readonly RotationSettings Settings = Samples.Settings() with { Name = "Plattform; Bereitschaft, Zürich" };

    [Fact]
    public void Write_LongNonAsciiText_NoLineLongerThan75Octets()
    {
        var ics = new IcalFeedWriter().Write(Settings, [Entry(new string('é', 120))]);

        Assert.All(ics.Split("\r\n"), line => Assert.True(Encoding.UTF8.GetByteCount(line) <= 75, line));
    }

    [Fact]
    public async Task Write_LongNonAsciiTextWithSeparators_IsReadBackExactly()
    {
        var name = "Zoë Ångström, \"Ops\"; " + new string('ü', 80);

        var read = (await IndependentIcsReader.ReadAsync(new IcalFeedWriter().Write(Settings, [Entry(name)]))).Events[0];

        Assert.Equal(ShiftText.Summary(Settings, Entry(name)), read.Summary);
        Assert.Equal(ShiftText.Description(Settings, Entry(name)), read.Description);
    }

    private static FeedEntry Entry(string member) => new(
        "abcdefghij0123456789abcdefghij01",
        "platform/primary/2026-11-02T15:00:00Z",
        "primary",
        new Member(member, "someone@example.com"),
        Instant.FromUtc(2026, 11, 2, 15, 0),
        Instant.FromUtc(2026, 11, 9, 15, 0),
        false,
        0,
        Samples.Now,
        false);
}
