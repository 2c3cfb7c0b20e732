using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using OnCall.Core.Errors;
using OnCall.Core.Feeds;
using OnCall.Core.Ports;
using OnCall.Core.Rotations;
using OnCall.TestSupport;

namespace OnCall.Infrastructure.Tests;

[Collection(StorageTests.Collection)]
public sealed class TableFeedLedgerTests(AzuriteFixture azurite) : IDisposable
{
    private readonly ServiceProvider _services = StorageServices.Create(azurite);

    private IFeedLedger Ledger => _services.GetRequiredService<IFeedLedger>();

    [Fact]
    public async Task LoadAsync_AfterSave_RoundTripsEntries()
    {
        var entries = Entries();
        await Ledger.SaveAsync("platform", [.. entries.Select(e => new StoredFeedEntry(e, null))]);

        var loaded = await Ledger.LoadAsync("platform");

        Assert.Equal(entries.OrderBy(e => e.EventId, StringComparer.Ordinal), loaded.Select(s => s.Entry).OrderBy(e => e.EventId, StringComparer.Ordinal));
    }

    [Fact]
    public async Task SaveAsync_MoreThanOneBatch_WritesAll()
    {
        var entries = Entries(weeks: 150);
        await Ledger.SaveAsync("platform", [.. entries.Select(e => new StoredFeedEntry(e, null))]);

        Assert.Equal(entries.Count, (await Ledger.LoadAsync("platform")).Count);
    }

    [Fact]
    public async Task SaveAsync_StaleETag_ThrowsConcurrency()
    {
        await Ledger.SaveAsync("platform", [new StoredFeedEntry(Entries()[0], null)]);
        var stored = (await Ledger.LoadAsync("platform"))[0];
        await Ledger.SaveAsync("platform", [stored with { Entry = stored.Entry.Cancel(Samples.Now) }]);

        await Assert.ThrowsAsync<ConcurrencyException>(() => Ledger.SaveAsync("platform", [stored with { Entry = stored.Entry.Cancel(Samples.Now) }]));
    }

    [Fact]
    public async Task PruneAsync_EntriesEndedBeforeCutoff_AreRemoved()
    {
        var entries = Entries();
        await Ledger.SaveAsync("platform", [.. entries.Select(e => new StoredFeedEntry(e, null))]);

        var removed = await Ledger.PruneAsync(entries[2].End);

        Assert.Equal(2, removed);
        Assert.Equal(entries.Count - 2, (await Ledger.LoadAsync("platform")).Count);
    }

    [Fact]
    public async Task ReadWindowAsync_EntriesAroundTheWindow_ReturnsOnlyThoseOverlappingIt()
    {
        var entries = Entries();
        await Ledger.SaveAsync("platform", [.. entries.Select(e => new StoredFeedEntry(e, null))]);

        var read = await Ledger.ReadWindowAsync("platform", entries[1].Start + Duration.FromHours(1), entries[3].Start).ToListAsync();

        Assert.Equal(new[] { entries[1].EventId, entries[2].EventId }.Order(StringComparer.Ordinal), read.Select(e => e.EventId).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task ReadWindowAsync_MoreThanOnePage_ReturnsEveryEntry()
    {
        var template = Entries()[0];
        var hourly = Enumerable.Range(0, 1_250)
            .Select(i => template with { EventId = $"e{i:D5}", Start = template.Start + Duration.FromHours(i), End = template.Start + Duration.FromHours(i + 1) })
            .ToList();
        await Ledger.SaveAsync("platform", [.. hourly.Select(e => new StoredFeedEntry(e, null))]);

        var read = await Ledger.ReadWindowAsync("platform", hourly[0].Start, hourly[^1].End).ToListAsync();

        Assert.Equal(hourly.Select(e => e.EventId), read.Select(e => e.EventId).Order(StringComparer.Ordinal));
    }

    private static List<FeedEntry> Entries(int weeks = 6)
    {
        var rotation = Samples.Rotation();
        var start = Instant.FromUtc(2026, 11, 2, 0, 0);
        return [.. ShiftExpander.Expand(rotation, [], start, start + Duration.FromDays(7 * weeks))
            .Where(s => s.Layer == "primary")
            .Select(s => FeedEntry.FirstSeen(s, Samples.Now))];
    }

    public void Dispose() => _services.Dispose();
}
