using OnCall.TestSupport;

namespace OnCall.Functions.Tests;

[Collection(StorageTests.Collection)]
public sealed class OpsRunApiTests(AzuriteFixture azurite)
{
    // The standalone scheduler would run the same timer when the clock jumps, and SyncCalendars would record the
    // moved window; this test runs the prune by hand.
    private static readonly Dictionary<string, string> ScheduleOff = new()
    {
        ["AzureWebJobs.PruneFeedLedger.Disabled"] = "true",
        ["AzureWebJobs.SyncCalendars.Disabled"] = "true",
    };

    [Fact]
    public async Task RunTimer_PruneFeedLedger_RemovesEntriesLongPast()
    {
        var clock = Clocks.At(Api.Now);
        await using var app = await TestApp.StartAsync(azurite.ConnectionString, clock, ScheduleOff);
        var url = (await app.CreateAsync())["feedUrl"]!.GetValue<string>();
        (await app.Client.GetAsync(url)).Dispose();
        var before = await app.CountFeedLedgerAsync();
        clock.Advance(TimeSpan.FromDays(60));

        using var response = await app.Admin.PostAsync("/api/ops/run/PruneFeedLedger", null);

        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        Assert.InRange(await app.CountFeedLedgerAsync(), 0, before - 1);
    }

    [Fact]
    public async Task RunTimer_UnknownFunction_Returns404NamingFunction()
    {
        await using var app = await TestApp.StartAsync(azurite.ConnectionString);

        using var response = await app.Admin.PostAsync("/api/ops/run/Nope", null);

        await Api.AssertProblemAsync(response, 404, "function");
    }

    [Fact]
    public async Task RunTimer_WithoutKey_Returns401()
    {
        await using var app = await TestApp.StartAsync(azurite.ConnectionString);

        using var response = await app.Client.PostAsync("/api/ops/run/PruneFeedLedger", null);

        await Api.AssertProblemAsync(response, 401);
    }
}
