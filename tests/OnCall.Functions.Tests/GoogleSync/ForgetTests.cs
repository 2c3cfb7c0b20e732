using Azure.Data.Tables;
using OnCall.Infrastructure.Storage;
using OnCall.TestSupport;

namespace OnCall.Functions.Tests.GoogleSync;

[Collection(StorageTests.Collection)]
public sealed class ForgetTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task SyncCalendars_MonthsLater_ForgetsEventsLongPastButLeavesThemInGoogle()
    {
        await using var kit = await GoogleSyncKit.StartAsync(azurite);
        await kit.CreateAsync();
        await kit.SyncAsync();
        var inGoogle = kit.Ours().Count;

        kit.Clock!.Advance(TimeSpan.FromDays(90));
        await kit.SyncAsync();

        var table = await kit.App.Service<TableProvider>().GetAsync(TableCalendarSyncStore.EventsTableName);
        var cutoff = kit.Clock.GetUtcNow().AddDays(-16);
        await foreach (var row in table.QueryAsync<TableEntity>())
        {
            Assert.True(row.GetDateTimeOffset("End") >= cutoff, $"{row.RowKey} ended {row.GetDateTimeOffset("End")}");
        }

        Assert.True(kit.Ours().Count >= inGoogle);
    }
}
