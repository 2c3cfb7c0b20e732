using System.Text.Json.Nodes;
using OnCall.TestSupport;

namespace OnCall.Functions.Tests.GoogleSync;

[Collection(StorageTests.Collection)]
public sealed class ChangeSyncTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task SyncCalendars_NothingChanged_OneListRequestAndNoWrites()
    {
        await using var kit = await GoogleSyncKit.StartAsync(azurite);
        await kit.CreateAsync();
        await kit.SyncAsync();
        var writes = kit.Writes;
        var requests = kit.Google.ApiRequests.Count;

        var status = await kit.SyncAsync();

        Assert.Equal(writes, kit.Writes);
        Assert.Equal(requests + 1, kit.Google.ApiRequests.Count);
        Assert.Equal(1, status["requests"]!.GetValue<int>());
        Assert.Equal(0, status["counts"]!["inserted"]!.GetValue<int>() + status["counts"]!["patched"]!.GetValue<int>() + status["counts"]!["deleted"]!.GetValue<int>());
        await kit.AssertFeedAgreesAsync();
    }

    [Fact]
    public async Task SyncCalendars_OneOverrideInsideAShift_OneListAndOneBatchOfAtMostThreeCalls()
    {
        await using var kit = await GoogleSyncKit.StartAsync(azurite);
        await kit.CreateAsync();
        await kit.SyncAsync();
        var before = kit.Writes;

        // Sam covers the first day of Ada's 2026-11-23 primary shift: that shift is cut in two around the override.
        (await kit.App.AddOverrideAsync("2026-11-23T15:00:00Z", "2026-11-24T15:00:00Z")).Dispose();
        var status = await kit.SyncAsync();

        Assert.Equal(2, status["requests"]!.GetValue<int>());
        Assert.InRange(kit.Writes - before, 1, 3);
        Assert.Contains(kit.Ours().Values, e => e["summary"]!.GetValue<string>().StartsWith("On call: Sam", StringComparison.Ordinal));
        await kit.AssertFeedAgreesAsync();
    }

    [Fact]
    public async Task SyncCalendars_OverrideOfAWholeShift_PatchesOnlyThatEvent()
    {
        await using var kit = await GoogleSyncKit.StartAsync(azurite);
        await kit.CreateAsync();
        await kit.SyncAsync();
        var before = kit.Writes;

        // Exactly the 2026-11-23 → 11-30 primary shift: same start, same key, another person.
        (await kit.App.AddOverrideAsync("2026-11-23T15:00:00Z", "2026-11-30T15:00:00Z")).Dispose();
        var status = await kit.SyncAsync();

        Assert.Equal(1, status["counts"]!["patched"]!.GetValue<int>());
        Assert.Equal(1, kit.Writes - before);
        Assert.Equal("PATCH", kit.Google.Calls[^1].Method);
        await kit.AssertFeedAgreesAsync();
    }

    [Fact]
    public async Task SyncCalendars_MemberLeaves_WritesOnlyTheirFutureShifts()
    {
        await using var kit = await GoogleSyncKit.StartAsync(azurite);
        var rotation = GoogleSyncKit.Rotation();
        rotation["layers"]![0]!["members"]!.AsArray().Add(new JsonObject { ["name"] = "Kim", ["email"] = "kim@example.com" });
        await kit.CreateAsync(rotation);
        await kit.SyncAsync();
        var kims = kit.Ours().Values.Count(e => e["summary"]!.GetValue<string>().StartsWith("On call: Kim", StringComparison.Ordinal));
        var before = kit.Writes;

        rotation["layers"]![0]!["members"]!.AsArray().RemoveAt(2);
        (await kit.App.PutAsync(rotation)).Dispose();
        await kit.SyncAsync();

        Assert.True(kims > 0);
        Assert.DoesNotContain(kit.Ours().Values, e => e["summary"]!.GetValue<string>().StartsWith("On call: Kim", StringComparison.Ordinal) && GoogleSyncKit.Parse(e["start"]!["dateTime"]!) > DateTimeOffset.Parse(Api.Now, System.Globalization.CultureInfo.InvariantCulture).AddDays(7));
        Assert.True(kit.Writes - before <= 3 * kims, $"{kit.Writes - before} writes for {kims} of Kim's shifts");
        await kit.AssertFeedAgreesAsync();
    }

    [Fact]
    public async Task SyncCalendars_RotationDeleted_DeletesItsFutureEvents()
    {
        await using var kit = await GoogleSyncKit.StartAsync(azurite);
        await kit.CreateAsync();
        await kit.SyncAsync();

        (await kit.App.Admin.DeleteAsync("/api/rotations/platform")).Dispose();
        using var run = await kit.App.Admin.PostAsync("/api/ops/run/SyncCalendars", null);

        Assert.True(run.IsSuccessStatusCode);
        Assert.Empty(kit.Ours());
        Assert.All(kit.Google.Calls.Where(c => c.Method == "DELETE"), c => Assert.Equal(204, c.Status));
    }

    [Fact]
    public async Task SyncCalendars_CalendarRemovedFromRotation_DeletesItsEventsThere()
    {
        await using var kit = await GoogleSyncKit.StartAsync(azurite);
        await kit.CreateAsync();
        await kit.SyncAsync();

        (await kit.App.PutAsync(GoogleSyncKit.Rotation(calendarId: null))).Dispose();
        var status = await kit.SyncAsync();

        Assert.Empty(kit.Ours());
        Assert.Null(status["calendarId"]);
    }

    [Fact]
    public async Task SyncCalendars_TimeMovesOn_AddsTheShiftEnteringTheHorizon()
    {
        await using var kit = await GoogleSyncKit.StartAsync(azurite);
        await kit.CreateAsync();
        await kit.SyncAsync();
        var before = kit.Ours().Count;

        kit.Clock!.Advance(TimeSpan.FromDays(7));
        var status = await kit.SyncAsync();

        Assert.True(status["counts"]!["inserted"]!.GetValue<int>() >= 1);
        Assert.Equal(0, status["counts"]!["deleted"]!.GetValue<int>());
        Assert.True(kit.Ours().Count > before);
        await kit.AssertFeedAgreesAsync();
    }
}
