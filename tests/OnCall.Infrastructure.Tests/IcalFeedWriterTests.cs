using NodaTime;
using OnCall.Core.Feeds;
using OnCall.Core.Rotations;
using OnCall.Infrastructure.Feeds;
using OnCall.TestSupport;

namespace OnCall.Infrastructure.Tests;

public sealed class IcalFeedWriterTests
{
    private static readonly RotationSettings Settings = Samples.Settings();

    [Fact]
    public async Task Write_Shift_IsReadByIndependentParser()
    {
        var entry = Entries()[0];

        var document = await IndependentIcsReader.ReadAsync(new IcalFeedWriter().Write(Settings, [entry]));

        var read = Assert.Single(document.Events);
        Assert.Equal(
            ($"{entry.EventId}@oncallfunctions", entry.Start.ToDateTimeOffset(), entry.End.ToDateTimeOffset(), "CONFIRMED", "TRANSPARENT"),
            (read.Uid, read.Start, read.End, read.Status, read.Transparency));
    }

    [Fact]
    public async Task Write_Shift_SummaryNamesMemberRotationAndLayer()
    {
        var document = await IndependentIcsReader.ReadAsync(new IcalFeedWriter().Write(Settings, [Entries()[0]]));

        Assert.Equal("On call: Member 0 (Platform primary)", document.Events[0].Summary);
    }

    [Fact]
    public async Task Write_Shift_DescriptionNamesLayerSupervisorAndHandoff()
    {
        var document = await IndependentIcsReader.ReadAsync(new IcalFeedWriter().Write(Settings, [Entries()[0]]));

        var description = document.Events[0].Description;
        Assert.Contains("Layer: primary", description, StringComparison.Ordinal);
        Assert.Contains("Supervisor: Dana <dana@example.com>", description, StringComparison.Ordinal);
        Assert.Contains("Hands off: 2026-11-09 10:00 America/New_York", description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Write_CancelledEntry_HasStatusCancelledAndItsSequence()
    {
        var cancelled = Entries()[0].Cancel(Samples.Now);

        var read = (await IndependentIcsReader.ReadAsync(new IcalFeedWriter().Write(Settings, [cancelled]))).Events[0];

        Assert.Equal(("CANCELLED", 1, Samples.Now.ToDateTimeOffset()), (read.Status, read.Sequence, read.LastModified));
    }

    [Fact]
    public void Write_SameEntries_GivesSameDocument()
    {
        var entries = Entries();

        Assert.Equal(new IcalFeedWriter().Write(Settings, entries), new IcalFeedWriter().Write(Settings, entries));
    }

    private static List<FeedEntry> Entries()
    {
        var start = Instant.FromUtc(2026, 11, 2, 0, 0);
        var rotation = Rotation.Create(Settings, "hash", Samples.Now);
        return [.. ShiftExpander.Expand(rotation, [], start, start + Duration.FromDays(21))
            .Where(s => s.Layer == "primary")
            .Select(s => FeedEntry.FirstSeen(s, Samples.Now))];
    }
}
