using OnCall.TestSupport;

namespace OnCall.Functions.Tests;

[Collection(StorageTests.Collection)]
public sealed class TimerSchedulerTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Scheduler_ClockPassesOccurrence_RunsTimer()
    {
        var clock = Clocks.At(Api.Now);
        // SyncCalendars off: it would record the moved window, adding the entries the prune is watched removing.
        await using var app = await TestApp.StartAsync(azurite.ConnectionString, clock, new Dictionary<string, string>
        {
            ["OnCall:Schedules:PruneFeedLedger"] = "0 0 * * * *",
            ["AzureWebJobs.SyncCalendars.Disabled"] = "true",
        });
        var url = (await app.CreateAsync())["feedUrl"]!.GetValue<string>();
        (await app.Client.GetAsync(url)).Dispose();
        var before = await app.CountFeedLedgerAsync();

        clock.Advance(TimeSpan.FromDays(60));

        Assert.True(await Eventually.TrueAsync(async () => await app.CountFeedLedgerAsync() < before), "the scheduled prune did not run");
    }

    [Fact]
    public async Task Start_InvalidSchedule_FailsNamingTheSetting()
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() => TestApp.StartAsync(
            azurite.ConnectionString, settings: new Dictionary<string, string> { ["OnCall:Schedules:PruneFeedLedger"] = "every hour" }));

        Assert.Contains("OnCall:Schedules:PruneFeedLedger", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_StandaloneWithoutAdminKey_FailsNamingTheSetting()
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() => TestApp.StartAsync(
            azurite.ConnectionString, settings: new Dictionary<string, string> { ["OnCall:AdminKey"] = "" }));

        Assert.Contains("OnCall:AdminKey", error.Message, StringComparison.Ordinal);
    }
}
