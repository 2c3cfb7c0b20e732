using OnCall.Core.CalendarSync;
using OnCall.TestSupport;

namespace OnCall.Functions.Tests.GoogleSync;

[Collection(StorageTests.Collection)]
public sealed class ConcurrentSyncTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task SyncAllAsync_TwoAtOnceWithoutTheLease_CreateNoDuplicates()
    {
        await using var kit = await GoogleSyncKit.StartAsync(azurite);
        await kit.CreateAsync();
        var sync = kit.App.Service<CalendarSyncService>();

        await Task.WhenAll(sync.SyncAllAsync(), sync.SyncAllAsync());

        var inserts = kit.Google.Calls.Where(c => c.Method == "POST").ToList();
        Assert.Equal(kit.Ours().Count, inserts.Count(c => c.Status == 200));
        Assert.Null((await kit.StatusAsync())["lastError"]);
        await kit.AssertFeedAgreesAsync();
    }

    [Fact]
    public async Task RunSyncCalendars_TwoInstancesAtOnce_OneRunsAndTheCalendarIsRightOnce()
    {
        await using var kit = await GoogleSyncKit.StartAsync(azurite);
        await using var other = await TestApp.StartAsync(azurite.ConnectionString, kit.Clock, GoogleSyncKit.Settings(kit.Google), kit.App.Prefix);
        await kit.CreateAsync();

        var runs = await Task.WhenAll(
            kit.App.Admin.PostAsync("/api/ops/run/SyncCalendars", null),
            other.Admin.PostAsync("/api/ops/run/SyncCalendars", null));

        Assert.Contains(runs, r => r.IsSuccessStatusCode);
        Assert.Equal(kit.Ours().Count, kit.Google.Calls.Count(c => c.Method == "POST" && c.Status == 200));
        await kit.AssertFeedAgreesAsync();
        foreach (var run in runs)
        {
            run.Dispose();
        }
    }
}
