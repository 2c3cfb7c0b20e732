using OnCall.TestSupport;

namespace OnCall.Functions.Tests.Handoffs;

[Collection(StorageTests.Collection)]
public sealed class StaleHandoffTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task FlagMissed_OverrideRemovedTheBoundaryAfterPlanning_NotFlagged()
    {
        await using var slack = new FakeSlack();
        await slack.StartAsync();
        var clock = Clocks.At("2026-11-12T14:00:00Z");
        await using var app = await TestApp.StartAsync(azurite.ConnectionString, clock, HandoffKit.Settings(slack));
        await app.CreateAsync();
        await app.RunAsync("PlanHandoffs");
        (await app.AddOverrideAsync(HandoffKit.Due, "2026-11-13T15:00:00Z", "secondary", "Lin")).Dispose();
        clock.SetUtcNow(DateTimeOffset.Parse("2026-11-12T15:31:00Z", System.Globalization.CultureInfo.InvariantCulture));

        await app.RunAsync("FlagMissedHandoffs");

        Assert.Equal("pending", (await app.HandoffAsync())["status"]!.GetValue<string>());
        Assert.Empty(slack.Messages);
    }

    [Fact]
    public async Task PlanHandoffs_OverrideRemovedTheBoundary_PendingRecordRemoved()
    {
        await using var app = await TestApp.StartAsync(azurite.ConnectionString, Clocks.At(Api.Now), HandoffKit.Settings());
        await app.CreateAsync();
        await app.RunAsync("PlanHandoffs");
        (await app.AddOverrideAsync(HandoffKit.Due, "2026-11-13T15:00:00Z", "secondary", "Lin")).Dispose();

        await app.RunAsync("PlanHandoffs");

        Assert.DoesNotContain(await app.ListAsync(), h => h!["id"]!.GetValue<string>() == HandoffKit.Id);
    }

    [Fact]
    public async Task PlanHandoffs_OverrideChangedTheIncoming_PendingRecordUpdated()
    {
        await using var app = await TestApp.StartAsync(azurite.ConnectionString, Clocks.At(Api.Now), HandoffKit.Settings());
        await app.CreateAsync();
        await app.RunAsync("PlanHandoffs");
        (await app.AddOverrideAsync(HandoffKit.Due, "2026-11-13T15:00:00Z", "secondary", "Sam")).Dispose();

        await app.RunAsync("PlanHandoffs");

        Assert.Equal("sam@example.com", (await app.HandoffAsync())["incoming"]!["email"]!.GetValue<string>());
    }
}
