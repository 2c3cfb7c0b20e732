using OnCall.TestSupport;

namespace OnCall.Functions.Tests.GoogleSync;

[Collection(StorageTests.Collection)]
public sealed class HandEditTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task SyncCalendars_OurEventMovedByHand_IsMovedBack()
    {
        await using var kit = await GoogleSyncKit.StartAsync(azurite);
        await kit.CreateAsync();
        await kit.SyncAsync();
        var (id, original) = kit.Ours().First();
        kit.Google.EditByHand(GoogleSyncKit.CalendarId, id, e => e["start"] = new System.Text.Json.Nodes.JsonObject { ["dateTime"] = "2026-12-25T09:00:00-05:00", ["timeZone"] = "America/New_York" });

        var status = await kit.SyncAsync();

        Assert.Equal(1, status["counts"]!["patched"]!.GetValue<int>());
        Assert.Equal(original["start"]!.ToJsonString(), kit.Ours()[id]["start"]!.ToJsonString());
        await kit.AssertFeedAgreesAsync();
    }

    [Fact]
    public async Task SyncCalendars_OurEventDeletedByHand_IsRestored()
    {
        await using var kit = await GoogleSyncKit.StartAsync(azurite);
        await kit.CreateAsync();
        await kit.SyncAsync();
        var id = kit.Ours().Keys.First();
        kit.Google.DeleteByHand(GoogleSyncKit.CalendarId, id);

        await kit.SyncAsync();

        Assert.Contains(id, kit.Ours().Keys);
        await kit.AssertFeedAgreesAsync();
    }

    [Fact]
    public async Task SyncCalendars_ForeignEventInTheCalendar_IsNeverTouched()
    {
        await using var kit = await GoogleSyncKit.StartAsync(azurite);
        var foreign = kit.Google.AddForeignEvent(GoogleSyncKit.CalendarId, "Team lunch", new DateTimeOffset(2026, 11, 20, 12, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 11, 20, 13, 0, 0, TimeSpan.Zero));
        await kit.CreateAsync();
        await kit.SyncAsync();
        kit.Google.EditByHand(GoogleSyncKit.CalendarId, foreign, e => e["summary"] = "Team lunch (moved)");

        await kit.SyncAsync();
        (await kit.App.Admin.DeleteAsync("/api/rotations/platform")).Dispose();
        await kit.App.Admin.PostAsync("/api/ops/run/SyncCalendars", null);

        Assert.DoesNotContain(kit.Google.Calls, c => c.EventId == foreign);
        Assert.Equal("Team lunch (moved)", kit.Google.EventsIn(GoogleSyncKit.CalendarId)[foreign]["summary"]!.GetValue<string>());
    }

    [Fact]
    public async Task SyncCalendars_SyncTokenExpired_ListsOursAgainAndWritesNothing()
    {
        await using var kit = await GoogleSyncKit.StartAsync(azurite);
        await kit.CreateAsync();
        await kit.SyncAsync();
        var writes = kit.Writes;
        kit.Google.ExpireSyncTokens();

        var status = await kit.SyncAsync();

        Assert.Equal(writes, kit.Writes);
        Assert.Equal(2, status["requests"]!.GetValue<int>());
        Assert.Contains(kit.Google.ApiRequests, r => r.Query.Contains("privateExtendedProperty=oncallRotation%3Dplatform", StringComparison.Ordinal));
        Assert.Null(status["lastError"]);
        await kit.AssertFeedAgreesAsync();
    }
}
