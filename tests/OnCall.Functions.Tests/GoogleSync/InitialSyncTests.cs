using OnCall.TestSupport;

namespace OnCall.Functions.Tests.GoogleSync;

[Collection(StorageTests.Collection)]
public sealed class InitialSyncTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task SyncCalendars_NewRotation_InsertsEveryShiftFromADayAgoToHorizonInOneBatch()
    {
        await using var kit = await GoogleSyncKit.StartAsync(azurite);
        await kit.CreateAsync();

        var status = await kit.SyncAsync();

        Assert.Null(status["lastError"]);
        var shifts = (await kit.App.Reader.GetJsonAsync("/api/rotations/platform/shifts?from=2026-11-11T12:00:00Z&to=2027-01-07T12:00:00Z")).AsArray();
        Assert.Equal(shifts.Select(s => s!["eventId"]!.GetValue<string>()).Order(StringComparer.Ordinal), kit.Ours().Keys.Order(StringComparer.Ordinal));
        Assert.Equal(shifts.Count, status["counts"]!["inserted"]!.GetValue<int>());
        Assert.Equal(2, status["requests"]!.GetValue<int>());
        await kit.AssertFeedAgreesAsync();
    }

    [Fact]
    public async Task SyncCalendars_Event_HasRotationZoneTransparencyDescriptionAndOurProperties()
    {
        await using var kit = await GoogleSyncKit.StartAsync(azurite);
        await kit.CreateAsync();

        await kit.SyncAsync();

        var e = kit.Ours().Values.OrderBy(e => e["start"]!["dateTime"]!.GetValue<string>(), StringComparer.Ordinal).First();
        Assert.Equal("America/New_York", e["start"]!["timeZone"]!.GetValue<string>());
        Assert.EndsWith("-05:00", e["start"]!["dateTime"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("transparent", e["transparency"]!.GetValue<string>());
        Assert.Contains("Supervisor: Dana Lee <dana@example.com>", e["description"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("Hands off: ", e["description"]!.GetValue<string>(), StringComparison.Ordinal);
        var own = e["extendedProperties"]!["private"]!;
        Assert.Equal("platform", own["oncallRotation"]!.GetValue<string>());
        Assert.StartsWith("platform/", own["oncallShift"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(32, own["oncallHash"]!.GetValue<string>().Length);
        Assert.Empty(e["attendees"]!.AsArray());
    }

    [Fact]
    public async Task SyncCalendars_BatchSizeTwo_SendsCeilingOfShiftsOverTwoBatches()
    {
        await using var kit = await GoogleSyncKit.StartAsync(azurite, settings: new Dictionary<string, string> { ["OnCall:Google:BatchSize"] = "2" });
        await kit.CreateAsync();

        var status = await kit.SyncAsync();

        var inserted = status["counts"]!["inserted"]!.GetValue<int>();
        Assert.Equal(1 + ((inserted + 1) / 2), status["requests"]!.GetValue<int>());
        Assert.Equal((inserted + 1) / 2, kit.Google.ApiRequests.Count(r => r.Path == "/batch/calendar/v3"));
    }

    [Fact]
    public async Task SyncCalendars_MembersAsAttendees_AddsTheMemberWithoutNotifying()
    {
        await using var kit = await GoogleSyncKit.StartAsync(azurite, settings: new Dictionary<string, string> { ["OnCall:Google:MembersAsAttendees"] = "true" });
        await kit.CreateAsync();

        await kit.SyncAsync();

        Assert.All(kit.Ours().Values, e => Assert.Single(e["attendees"]!.AsArray()));
        Assert.Contains("sendUpdates=none", kit.Google.ApiRequests.Single(r => r.Path == "/batch/calendar/v3").Body, StringComparison.Ordinal);
    }
}
