using OnCall.Core.TimeOff;
using OnCall.TestSupport;
using static OnCall.Functions.Tests.Coverage.CoverageKit;

namespace OnCall.Functions.Tests.Coverage;

[Collection(StorageTests.Collection)]
public sealed class TwoInstanceCoverageTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task CheckCoverage_TwoInstancesAtOnce_EachProblemToldOnce()
    {
        await using var slack = new FakeSlack();
        await slack.StartAsync();
        var prefix = AzuriteFixture.NewPrefix();
        var clock = Clocks.At(Api.Now);
        await using var first = await TestApp.StartAsync(azurite.ConnectionString, clock, Settings(slack), prefix);
        await using var second = await TestApp.StartAsync(azurite.ConnectionString, clock, Settings(slack), prefix);
        await first.CreateAsync();
        await first.CreateAsync(StartingLater());
        await first.AddTimeOffOkAsync("ada@example.com", AwayStart, AwayEnd);

        // The jobs directly, not the admin route: its lease would keep the two from overlapping at all.
        await Task.WhenAll(first.Service<CheckCoverageJob>().RunAsync(), second.Service<CheckCoverageJob>().RunAsync());
        await Task.WhenAll(first.Service<CheckCoverageJob>().RunAsync(), second.Service<CheckCoverageJob>().RunAsync());

        Assert.Equal([ConflictTitle, "Coverage gap: Later / primary"], slack.Titles().Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task CheckCoverage_TwoInstancesAtOnceAfterTimeOffRemoved_SolvedToldOnce()
    {
        await using var slack = new FakeSlack();
        await slack.StartAsync();
        var prefix = AzuriteFixture.NewPrefix();
        var clock = Clocks.At(Api.Now);
        await using var first = await TestApp.StartAsync(azurite.ConnectionString, clock, Settings(slack), prefix);
        await using var second = await TestApp.StartAsync(azurite.ConnectionString, clock, Settings(slack), prefix);
        await first.CreateAsync();
        var id = await first.AddTimeOffOkAsync("ada@example.com", AwayStart, AwayEnd);
        await first.CheckCoverageAsync();
        (await first.Admin.DeleteAsync($"/api/rotations/platform/time-off/{id}")).Dispose();

        await Task.WhenAll(first.Service<CheckCoverageJob>().RunAsync(), second.Service<CheckCoverageJob>().RunAsync());

        Assert.Equal([ConflictTitle, "Coverage conflict solved: Platform on-call / primary"], slack.Titles());
    }
}
