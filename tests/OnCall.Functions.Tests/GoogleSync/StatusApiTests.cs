using OnCall.TestSupport;

namespace OnCall.Functions.Tests.GoogleSync;

[Collection(StorageTests.Collection)]
public sealed class StatusApiTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task GetSync_NeverSynced_HasEveryFieldWithNulls()
    {
        await using var kit = await GoogleSyncKit.StartAsync(azurite);
        await kit.CreateAsync();

        var status = await kit.StatusAsync();

        Assert.Equal(
            ["rotation", "calendarId", "lastSyncAt", "counts", "requests", "lastError"],
            status.Select(p => p.Key));
        Assert.Equal(["inserted", "patched", "deleted", "unchanged"], status["counts"]!.AsObject().Select(p => p.Key));
        Assert.Equal(GoogleSyncKit.CalendarId, status["calendarId"]!.GetValue<string>());
        Assert.Null(status["lastSyncAt"]);
        Assert.Null(status["lastError"]);
    }

    [Fact]
    public async Task GetSync_AfterSync_ShowsWhenItRan()
    {
        await using var kit = await GoogleSyncKit.StartAsync(azurite);
        await kit.CreateAsync();

        var status = await kit.SyncAsync();

        Assert.Equal(Api.Now, status["lastSyncAt"]!.GetValue<string>());
        Assert.Equal("platform", status["rotation"]!.GetValue<string>());
    }

    [Fact]
    public async Task GetSync_RotationWithoutCalendar_Returns200WithNulls()
    {
        await using var kit = await GoogleSyncKit.StartAsync(azurite);
        await kit.CreateAsync(GoogleSyncKit.Rotation(calendarId: null));

        var status = await kit.SyncAsync();

        Assert.Null(status["calendarId"]);
        Assert.Null(status["lastSyncAt"]);
        Assert.Empty(kit.Google.ApiRequests);
    }

    [Fact]
    public async Task GetSync_UnknownRotation_Returns404Problem()
    {
        await using var kit = await GoogleSyncKit.StartAsync(azurite);

        using var response = await kit.App.Reader.GetAsync("/api/rotations/nope/sync");

        await Api.AssertProblemAsync(response, 404);
    }

    [Fact]
    public async Task GetSync_WithoutKey_Returns401()
    {
        await using var kit = await GoogleSyncKit.StartAsync(azurite);
        await kit.CreateAsync();

        using var response = await kit.App.Client.GetAsync("/api/rotations/platform/sync");

        Assert.Equal(401, (int)response.StatusCode);
    }

    [Fact]
    public async Task SyncCalendars_NotConfigured_RecordsSkippedAndCallsNothing()
    {
        await using var kit = await GoogleSyncKit.StartAsync(azurite, settings: new Dictionary<string, string> { ["OnCall:Google:ServiceAccountJson"] = "" });
        await kit.CreateAsync();

        var status = await kit.SyncAsync();

        Assert.StartsWith("skipped: Google Calendar is not configured", status["lastError"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Null(status["lastSyncAt"]);
        Assert.Empty(kit.Google.Requests);
    }
}
