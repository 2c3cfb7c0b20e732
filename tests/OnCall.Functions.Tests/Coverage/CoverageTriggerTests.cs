using Azure.Data.Tables;
using OnCall.Infrastructure.Storage;
using OnCall.TestSupport;
using static OnCall.Functions.Tests.Coverage.CoverageKit;

namespace OnCall.Functions.Tests.Coverage;

[Collection(StorageTests.Collection)]
public sealed class CoverageTriggerTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task AddTimeOff_ConflictingShift_ToldWithoutTheTimer()
    {
        await using var slack = new FakeSlack();
        await slack.StartAsync();
        var clock = Clocks.At(Api.Now);
        await using var app = await TestApp.StartAsync(azurite.ConnectionString, clock, Settings(slack, listen: true));
        await app.CreateAsync();

        await app.AddTimeOffOkAsync("ada@example.com", AwayStart, AwayEnd);

        // The queue listener waits between polls on the app's clock: let it move while waiting.
        Assert.True(
            await Eventually.TrueAsync(() =>
            {
                clock.Advance(TimeSpan.FromMilliseconds(100));
                return Task.FromResult(slack.Messages.Count > 0);
            }),
            "no coverage notice arrived");
        Assert.Equal([ConflictTitle], slack.Titles());
    }

    [Fact]
    public async Task DeleteRotation_WithCoverageNotices_RemovesThem()
    {
        await using var slack = new FakeSlack();
        await slack.StartAsync();
        await using var app = await TestApp.StartAsync(azurite.ConnectionString, Clocks.At(Api.Now), Settings(slack));
        await app.CreateAsync();
        await app.AddTimeOffOkAsync("ada@example.com", AwayStart, AwayEnd);
        await app.CheckCoverageAsync();
        var before = await CountNoticesAsync(app);

        (await app.Admin.DeleteAsync("/api/rotations/platform")).Dispose();

        Assert.Equal((1, 0), (before, await CountNoticesAsync(app)));
    }

    private static async Task<int> CountNoticesAsync(TestApp app)
    {
        var table = await app.Service<TableProvider>().GetAsync(TableCoverageNoticeRepository.TableName);
        var count = 0;
        await foreach (var _ in table.QueryAsync<TableEntity>(select: ["RowKey"]))
        {
            count++;
        }

        return count;
    }
}
