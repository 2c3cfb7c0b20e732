using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using OnCall.Core.Errors;
using OnCall.Core.Feeds;
using OnCall.Core.Ports;
using OnCall.Core.Rotations;
using OnCall.Infrastructure.Storage;
using OnCall.TestSupport;

namespace OnCall.Infrastructure.Tests;

[Collection(StorageTests.Collection)]
public sealed class TableFeedLedgerTests(AzuriteFixture azurite) : IDisposable
{
    private readonly ServiceProvider _services = StorageServices.Create(azurite);

    private IFeedLedger Ledger => _services.GetRequiredService<IFeedLedger>();

    [Fact]
    public async Task LoadAsync_AfterCommit_RoundTripsEntries()
    {
        var entries = Entries();
        await AddAsync(entries);

        var loaded = await Ledger.LoadAsync("platform");

        Assert.Equal(entries.OrderBy(e => e.EventId, StringComparer.Ordinal), loaded.Entries.Select(s => s.Entry).OrderBy(e => e.EventId, StringComparer.Ordinal));
        Assert.All(loaded.Entries, e => Assert.StartsWith(TableFeedLedger.ChunkPrefix, e.Chunk, StringComparison.Ordinal));
    }

    [Fact]
    public async Task CommitAsync_MoreThanOneChunk_WritesAllInFewRows()
    {
        var entries = Hourly(5_000);
        await AddAsync(entries);

        var loaded = await Ledger.LoadAsync("platform");

        Assert.Equal(entries.Select(e => e.EventId), loaded.Entries.Select(e => e.Entry.EventId).Order(StringComparer.Ordinal));
        Assert.Equal(3, loaded.Entries.Select(e => e.Chunk).Distinct().Count());
        Assert.Equal(4, (await RowsAsync()).Count);
    }

    [Fact]
    public async Task CommitAsync_ChangesAtAChunkBoundary_RewriteOnlyThoseChunks()
    {
        var entries = Hourly(6_000);
        await AddAsync(entries);
        var before = await Ledger.LoadAsync("platform");
        var chunks = before.Entries.Select(e => e.Chunk!).Distinct().ToList();
        var last = before.Entries.Last(e => e.Chunk == chunks[0]);
        var first = before.Entries.First(e => e.Chunk == chunks[1]);
        var cancelled = last with { Entry = last.Entry.Cancel(Samples.Now) };
        var added = new StoredFeedEntry(last.Entry with { EventId = "between", Start = last.Entry.Start + Duration.FromMinutes(30), End = first.Entry.Start }, null);

        await Ledger.CommitAsync(before, [cancelled, added], State("v2"));

        var after = await Ledger.LoadAsync("platform");
        Assert.Equal(6_001, after.Entries.Count);
        Assert.True(after.Entries.Single(e => e.Entry.EventId == last.Entry.EventId).Entry.Cancelled);
        Assert.Contains(after.Entries, e => e.Entry.EventId == "between");
        Assert.Equal(after.Entries.Single(e => e.Entry.EventId == first.Entry.EventId).Chunk, first.Chunk);
        Assert.Equal(after.Entries.Single(e => e.Entry.EventId == entries[^1].EventId).Chunk, before.Entries.Single(e => e.Entry.EventId == entries[^1].EventId).Chunk);
        Assert.NotEqual(chunks[0], after.Entries.Single(e => e.Entry.EventId == last.Entry.EventId).Chunk);
        Assert.Equal("v2", (await Ledger.GetStateAsync("platform"))!.Version);
    }

    [Fact]
    public async Task CommitAsync_StaleSnapshot_ThrowsConcurrency()
    {
        await AddAsync([Entries()[0]]);
        var stale = await Ledger.LoadAsync("platform");
        var stored = stale.Entries[0];
        await Ledger.CommitAsync(stale, [stored with { Entry = stored.Entry.Cancel(Samples.Now) }], State("v2"));

        await Assert.ThrowsAsync<ConcurrencyException>(() => Ledger.CommitAsync(stale, [stored with { Entry = stored.Entry.Cancel(Samples.Now) }], State("v3")));
        Assert.Equal("v2", (await Ledger.GetStateAsync("platform"))!.Version);

        // The state row, the winner's chunk and the chunk it replaced (deleted by the next commit); nothing of the loser.
        Assert.Equal(3, (await RowsAsync()).Count);
    }

    [Fact]
    public async Task CommitAsync_Twice_DeletesTheChunksReplacedBefore()
    {
        await AddAsync(Hourly(100));
        for (var i = 0; i < 3; i++)
        {
            var snapshot = await Ledger.LoadAsync("platform");
            await Ledger.CommitAsync(snapshot, [snapshot.Entries[i] with { Entry = snapshot.Entries[i].Entry.Cancel(Samples.Now) }], State($"v{i}"));
        }

        // The state row, the chunk of the ledger, and the chunk the last commit replaced (kept for readers of the previous one).
        Assert.Equal(3, (await RowsAsync()).Count);
    }

    [Fact]
    public async Task CommitAsync_PeopleAtTheLimits_KeepsEveryChunkWithinTableStorageLimits()
    {
        var random = new Random(7);
        var people = LargeRotations.RandomPeople(random);
        var layers = LargeRotations.LayerNames(random).Select(n => n[..20]).ToArray();
        var entries = Hourly(12_000).Select((e, i) => e with { Member = people[random.Next(people.Length)], Layer = layers[i % layers.Length], Key = new string('k', 200) }).ToList();

        await AddAsync(entries);

        var rows = await RowsAsync();
        Assert.All(rows, r => Assert.InRange(LargeRotations.EntitySize(r), 1, LargeRotations.MaxEntityBytes));
        Assert.All(rows.SelectMany(r => r.Select(p => p.Value)).OfType<byte[]>(), b => Assert.InRange(b.Length, 1, 64 * 1024));
        Assert.Equal(entries.OrderBy(e => e.EventId, StringComparer.Ordinal), (await Ledger.LoadAsync("platform")).Entries.Select(e => e.Entry).OrderBy(e => e.EventId, StringComparer.Ordinal));
    }

    [Fact]
    public async Task PruneAsync_EntriesEndedBeforeCutoff_AreRemoved()
    {
        var entries = Entries();
        await AddAsync(entries);

        var removed = await Ledger.PruneAsync(entries[2].End);

        Assert.Equal(2, removed);
        Assert.Equal(entries.Count - 2, (await Ledger.LoadAsync("platform")).Entries.Count);
        Assert.Equal("v1", (await Ledger.GetStateAsync("platform"))!.Version);
    }

    [Fact]
    public async Task ReadWindowAsync_EntriesAroundTheWindow_ReturnsOnlyThoseOverlappingIt()
    {
        var entries = Entries();
        await AddAsync(entries);

        var read = await Ledger.ReadWindowAsync("platform", entries[1].Start + Duration.FromHours(1), entries[3].Start).ToListAsync();

        Assert.Equal(new[] { entries[1].EventId, entries[2].EventId }.Order(StringComparer.Ordinal), read.Select(e => e.EventId).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task ReadWindowAsync_MoreThanOneChunk_ReturnsEveryEntry()
    {
        var hourly = Hourly(4_250);
        await AddAsync(hourly);

        var read = await Ledger.ReadWindowAsync("platform", hourly[0].Start, hourly[^1].End).ToListAsync();

        Assert.Equal(hourly.Select(e => e.EventId), read.Select(e => e.EventId).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task DeleteAsync_LedgerOfManyChunks_LeavesNoRow()
    {
        await AddAsync(Hourly(9_000));
        var snapshot = await Ledger.LoadAsync("platform");
        await Ledger.CommitAsync(snapshot, [snapshot.Entries[0] with { Entry = snapshot.Entries[0].Entry.Cancel(Samples.Now) }], State("v2"));

        await Ledger.DeleteAsync("platform");

        Assert.Empty(await RowsAsync());
        Assert.Empty((await Ledger.LoadAsync("platform")).Entries);
    }

    [Fact]
    public async Task LoadAsync_RowPerEntryLayout_ReadsItAndTheNextCommitMovesItIntoChunks()
    {
        var entries = Entries();
        var table = await Table();
        foreach (var e in entries)
        {
            await table.AddEntityAsync(new TableEntity("platform", e.EventId)
            {
                ["Key"] = e.Key,
                ["Layer"] = e.Layer,
                ["MemberName"] = e.Member.Name,
                ["MemberEmail"] = e.Member.Email,
                ["Start"] = e.Start.ToDateTimeOffset(),
                ["End"] = e.End.ToDateTimeOffset(),
                ["IsOverride"] = e.IsOverride,
                ["Sequence"] = e.Sequence,
                ["LastModified"] = e.LastModified.ToDateTimeOffset(),
                ["Cancelled"] = e.Cancelled,
            });
        }

        var old = await Ledger.LoadAsync("platform");
        Assert.Equal(entries.Count, await Ledger.ReadWindowAsync("platform", Instant.MinValue, Instant.MaxValue).CountAsync());
        await Ledger.CommitAsync(old, [], State("v1"));

        var loaded = await Ledger.LoadAsync("platform");
        Assert.Equal(entries.OrderBy(e => e.EventId, StringComparer.Ordinal), loaded.Entries.Select(s => s.Entry).OrderBy(e => e.EventId, StringComparer.Ordinal));
        Assert.Equal(2, (await RowsAsync()).Count);
    }

    private async Task AddAsync(IReadOnlyList<FeedEntry> entries)
    {
        var snapshot = await Ledger.LoadAsync("platform");
        await Ledger.CommitAsync(snapshot, [.. entries.Select(e => new StoredFeedEntry(e, null))], State("v1"));
    }

    private async Task<TableClient> Table() => await _services.GetRequiredService<TableProvider>().GetAsync(TableFeedLedger.TableName);

    private async Task<List<TableEntity>> RowsAsync()
    {
        var rows = new List<TableEntity>();
        await foreach (var row in (await Table()).QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {"platform"}")))
        {
            rows.Add(row);
        }

        return rows;
    }

    private static CalendarStateVersion State(string version) => new(version, Samples.Now - Duration.FromDays(2), Samples.Now + Duration.FromDays(366), Samples.Now);

    private static List<FeedEntry> Hourly(int count)
    {
        var template = Entries()[0];
        return [.. Enumerable.Range(0, count).Select(i => template with { EventId = $"e{i:D5}", Start = template.Start + Duration.FromHours(i), End = template.Start + Duration.FromHours(i + 1) })];
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
