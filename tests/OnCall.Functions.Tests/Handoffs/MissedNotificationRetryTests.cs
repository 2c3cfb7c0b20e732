using OnCall.TestSupport;

namespace OnCall.Functions.Tests.Handoffs;

[Collection(StorageTests.Collection)]
public sealed class MissedNotificationRetryTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task FlagMissed_SlackAnswers500ThenOk_RetriedNextRunTeamsNotRepeated()
    {
        await using var slack = new FakeSlack();
        await using var teams = new FakeTeams();
        await slack.StartAsync();
        await teams.StartAsync();
        slack.Enqueue(FakeResponse.Status(500, "rollup_error"));
        var clock = Clocks.At(Api.Now);
        await using var app = await TestApp.StartAsync(azurite.ConnectionString, clock, HandoffKit.Settings(slack, teams));
        await app.MissAsync(clock);
        var afterFirst = (Slack: slack.Messages.Count, Teams: teams.Messages.Count);
        clock.Advance(TimeSpan.FromMinutes(5));

        await app.RunAsync("FlagMissedHandoffs");

        Assert.Equal((0, 1), afterFirst);
        Assert.Equal((1, 1), (slack.Messages.Count, teams.Messages.Count));
        var handoff = await app.HandoffAsync();
        Assert.Equal(("missed", "2026-11-12T15:31:00Z"), (handoff["status"]!.GetValue<string>(), handoff["missedAt"]!.GetValue<string>()));
        Assert.Equal("sent", handoff["notices"]![0]!["channels"]!["slack"]!.GetValue<string>());
    }

    [Fact]
    public async Task FlagMissed_TeamsTimesOut_TeamsRetriedSlackSentOnce()
    {
        await using var slack = new FakeSlack();
        await using var teams = new FakeTeams();
        await slack.StartAsync();
        await teams.StartAsync();
        teams.Enqueue(FakeResponse.Slow(TimeSpan.FromSeconds(5)));
        var clock = Clocks.At(Api.Now);
        await using var app = await TestApp.StartAsync(azurite.ConnectionString, clock, HandoffKit.Settings(slack, teams));
        await app.CreateAsync();
        await app.RunAsync("PlanHandoffs");
        clock.SetUtcNow(DateTimeOffset.Parse("2026-11-12T15:31:00Z", System.Globalization.CultureInfo.InvariantCulture));

        // The notifier's timeouts run on the app's clock: let it move while the first run waits on Teams.
        var firstRun = app.RunAsync("FlagMissedHandoffs");
        while (!firstRun.IsCompleted)
        {
            clock.Advance(TimeSpan.FromMilliseconds(500));
            await Task.Delay(50);
        }

        await firstRun;
        var failed = (await app.HandoffAsync())["notices"]![0]!["retry"]!.AsArray().Select(c => c!.GetValue<string>()).ToList();
        clock.Advance(TimeSpan.FromMinutes(5));

        await app.RunAsync("FlagMissedHandoffs");

        Assert.Equal(["teams"], failed);
        Assert.Equal((1, 1), (slack.Messages.Count, teams.Messages.Count));
    }

    [Fact]
    public async Task FlagMissed_NothingFailed_NotSentAgain()
    {
        await using var slack = new FakeSlack();
        await slack.StartAsync();
        var clock = Clocks.At(Api.Now);
        await using var app = await TestApp.StartAsync(azurite.ConnectionString, clock, HandoffKit.Settings(slack));
        await app.MissAsync(clock);
        clock.Advance(TimeSpan.FromMinutes(5));

        await app.RunAsync("FlagMissedHandoffs");

        Assert.Single(slack.Messages);
    }
}
