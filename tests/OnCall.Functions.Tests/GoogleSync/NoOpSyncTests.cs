using System.Text.Json.Nodes;
using OnCall.TestSupport;

namespace OnCall.Functions.Tests.GoogleSync;

[Collection(StorageTests.Collection)]
public sealed class NoOpSyncTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task SyncCalendars_RightAfterASyncThatWroteHundredsOfEvents_OneRequest()
    {
        await using var kit = await GoogleSyncKit.StartAsync(azurite);
        await kit.CreateAsync(YearOfDailyShifts());
        var first = await kit.SyncAsync();
        Assert.True(first["counts"]!["inserted"]!.GetValue<int>() > 500, first.ToJsonString());

        var next = await kit.SyncAsync();
        var after = await kit.SyncAsync();

        Assert.Equal((1, 1), (next["requests"]!.GetValue<int>(), after["requests"]!.GetValue<int>()));
    }

    /// <summary>The sample rotation with daily shifts on both layers and a year's horizon: about 730 events.</summary>
    private static JsonObject YearOfDailyShifts()
    {
        var rotation = GoogleSyncKit.Rotation();
        rotation["horizon"] = "P366D";
        foreach (var layer in rotation["layers"]!.AsArray())
        {
            layer!["shiftLength"] = "P1D";
        }

        return rotation;
    }
}
