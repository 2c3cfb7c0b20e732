using OnCall.TestSupport;

namespace OnCall.Functions.Tests.Handoffs;

[Collection(StorageTests.Collection)]
public sealed class FlagMissedHandoffsTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task FlagMissed_PastGrace_MarkedMissedAndSupervisorToldOnce()
    {
        await using var slack = new FakeSlack();
        await slack.StartAsync();
        var clock = Clocks.At(Api.Now);
        await using var app = await TestApp.StartAsync(azurite.ConnectionString, clock, HandoffKit.Settings(slack));

        await app.MissAsync(clock);
        await app.RunAsync("FlagMissedHandoffs");

        var handoff = await app.HandoffAsync();
        Assert.Equal(("missed", "2026-11-12T15:31:00Z"), (handoff["status"]!.GetValue<string>(), handoff["supervisorNotifiedAt"]!.GetValue<string>()));
        var message = Assert.Single(slack.Messages).ToJsonString();
        Assert.Contains("Lin", message, StringComparison.Ordinal);
        Assert.Contains("31 min late", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FlagMissed_WithinGrace_StaysPending()
    {
        await using var slack = new FakeSlack();
        await slack.StartAsync();
        var clock = Clocks.At(Api.Now);
        await using var app = await TestApp.StartAsync(azurite.ConnectionString, clock, HandoffKit.Settings(slack));
        await app.CreateAsync();
        await app.RunAsync("PlanHandoffs");
        clock.SetUtcNow(DateTimeOffset.Parse("2026-11-12T15:29:00Z", System.Globalization.CultureInfo.InvariantCulture));

        await app.RunAsync("FlagMissedHandoffs");

        Assert.Equal("pending", (await app.HandoffAsync())["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task FlagMissed_StillUnacknowledgedAfterTwoMoreGraces_OneEscalation()
    {
        await using var slack = new FakeSlack();
        await slack.StartAsync();
        var clock = Clocks.At(Api.Now);
        await using var app = await TestApp.StartAsync(azurite.ConnectionString, clock, HandoffKit.Settings(slack));
        await app.MissAsync(clock);
        clock.SetUtcNow(DateTimeOffset.Parse("2026-11-12T16:31:00Z", System.Globalization.CultureInfo.InvariantCulture));

        await app.RunAsync("FlagMissedHandoffs");
        await app.RunAsync("FlagMissedHandoffs");

        Assert.Equal(2, slack.Messages.Count);
        Assert.Contains("Still unacknowledged", slack.Messages[1].ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Acknowledge_AfterMissed_AcknowledgedLateAndSupervisorTold()
    {
        await using var slack = new FakeSlack();
        await slack.StartAsync();
        var clock = Clocks.At(Api.Now);
        await using var app = await TestApp.StartAsync(azurite.ConnectionString, clock, HandoffKit.Settings(slack));
        await app.MissAsync(clock);
        clock.Advance(TimeSpan.FromMinutes(9));

        using var response = await app.AcknowledgeAsync();

        var handoff = await Api.BodyAsync(response);
        Assert.Equal(("acknowledged", true, "PT40M"), (handoff["status"]!.GetValue<string>(), handoff["late"]!.GetValue<bool>(), handoff["lateBy"]!.GetValue<string>()));
        Assert.Contains("acknowledged late", slack.Messages[^1].ToJsonString(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task FlagMissed_TwoInstancesAtOnce_OneNotification()
    {
        await using var slack = new FakeSlack();
        await slack.StartAsync();
        var prefix = AzuriteFixture.NewPrefix();
        var clock = Clocks.At(Api.Now);
        await using var first = await TestApp.StartAsync(azurite.ConnectionString, clock, HandoffKit.Settings(slack), prefix);
        await using var second = await TestApp.StartAsync(azurite.ConnectionString, clock, HandoffKit.Settings(slack), prefix);
        await first.CreateAsync();
        await Task.WhenAll(first.Service<Core.Handoffs.PlanHandoffsJob>().RunAsync(), second.Service<Core.Handoffs.PlanHandoffsJob>().RunAsync());
        clock.SetUtcNow(DateTimeOffset.Parse("2026-11-12T15:31:00Z", System.Globalization.CultureInfo.InvariantCulture));

        await Task.WhenAll(first.Service<Core.Handoffs.FlagMissedHandoffsJob>().RunAsync(), second.Service<Core.Handoffs.FlagMissedHandoffsJob>().RunAsync());

        Assert.Single(slack.Messages);
        Assert.Equal("missed", (await first.HandoffAsync())["status"]!.GetValue<string>());
    }
}
