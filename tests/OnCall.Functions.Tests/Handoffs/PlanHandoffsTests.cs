using OnCall.Core.Handoffs;
using OnCall.TestSupport;

namespace OnCall.Functions.Tests.Handoffs;

[Collection(StorageTests.Collection)]
public sealed class PlanHandoffsTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task PlanHandoffs_RunTwice_OneRecordPerBoundary()
    {
        await using var app = await TestApp.StartAsync(azurite.ConnectionString, Clocks.At(Api.Now), HandoffKit.Settings());
        await app.CreateAsync();

        await app.RunAsync("PlanHandoffs");
        await app.RunAsync("PlanHandoffs");

        var handoff = Assert.Single(await app.ListAsync())!;
        Assert.Equal(HandoffKit.Id, handoff["id"]!.GetValue<string>());
        Assert.Equal(("secondary", "lin@example.com", "ada@example.com", HandoffKit.Due, "pending"), (
            handoff["layer"]!.GetValue<string>(),
            handoff["outgoing"]!["email"]!.GetValue<string>(),
            handoff["incoming"]!["email"]!.GetValue<string>(),
            handoff["due"]!.GetValue<string>(),
            handoff["status"]!.GetValue<string>()));
    }

    [Fact]
    public async Task PlanHandoffs_BoundaryPassedWhileDown_StillRecorded()
    {
        var clock = Clocks.At(Api.Now);
        await using var app = await TestApp.StartAsync(azurite.ConnectionString, clock, HandoffKit.Settings());
        await app.CreateAsync();
        clock.SetUtcNow(DateTimeOffset.Parse("2026-11-13T09:00:00Z", System.Globalization.CultureInfo.InvariantCulture));

        await app.RunAsync("PlanHandoffs");

        Assert.Contains(await app.ListAsync(), h => h!["id"]!.GetValue<string>() == HandoffKit.Id);
    }

    [Fact]
    public async Task PlanHandoffs_OverrideAtBoundary_UsesOverrideMember()
    {
        await using var app = await TestApp.StartAsync(azurite.ConnectionString, Clocks.At(Api.Now), HandoffKit.Settings());
        await app.CreateAsync();
        (await app.AddOverrideAsync(HandoffKit.Due, "2026-11-13T15:00:00Z", "secondary", "Sam")).Dispose();

        await app.RunAsync("PlanHandoffs");

        Assert.Equal("sam@example.com", (await app.HandoffAsync())["incoming"]!["email"]!.GetValue<string>());
    }

    [Fact]
    public async Task PlanHandoffs_TwoInstancesAtOnce_OneRecordPerBoundary()
    {
        var prefix = AzuriteFixture.NewPrefix();
        await using var first = await TestApp.StartAsync(azurite.ConnectionString, Clocks.At(Api.Now), HandoffKit.Settings(), prefix);
        await using var second = await TestApp.StartAsync(azurite.ConnectionString, Clocks.At(Api.Now), HandoffKit.Settings(), prefix);
        await first.CreateAsync();

        // The jobs directly, not the admin route: its lease would keep the two from overlapping at all.
        await Task.WhenAll(first.Service<PlanHandoffsJob>().RunAsync(), second.Service<PlanHandoffsJob>().RunAsync());

        Assert.Single(await second.ListAsync());
    }
}
