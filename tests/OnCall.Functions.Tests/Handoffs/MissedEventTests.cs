using OnCall.TestSupport;

namespace OnCall.Functions.Tests.Handoffs;

[Collection(StorageTests.Collection)]
public sealed class MissedEventTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task FlagMissed_ServiceBusConfigured_OneHandoffMissedEventKeyedByHandoffId()
    {
        var clock = Clocks.At(Api.Now);
        await using var bus = new FakeServiceBus(clock);
        await bus.StartAsync();
        await using var app = await TestApp.StartAsync(azurite.ConnectionString, clock, With(HandoffKit.Settings(), bus.Settings()));

        await app.MissAsync(clock);
        await app.RunAsync("FlagMissedHandoffs");

        var message = Assert.Single(bus.Messages);
        Assert.Equal((HandoffKit.Id, "handoff.missed", "application/json; charset=utf-8"), (message.MessageId, message.Label, message.ContentType));
        Assert.Equal(
            (HandoffKit.Id, "platform", "secondary", "lin@example.com", "ada@example.com", HandoffKit.Due, "2026-11-12T15:31:00Z"),
            (message.Body["handoffId"]!.GetValue<string>(), message.Body["rotationId"]!.GetValue<string>(), message.Body["layer"]!.GetValue<string>(),
             message.Body["outgoing"]!["email"]!.GetValue<string>(), message.Body["incoming"]!["email"]!.GetValue<string>(),
             message.Body["due"]!.GetValue<string>(), message.Body["missedAt"]!.GetValue<string>()));
        Assert.Equal("sent", (await app.HandoffAsync())["notices"]![0]!["channels"]!["servicebus"]!.GetValue<string>());
    }

    [Fact]
    public async Task FlagMissed_TwoInstancesAtOnce_OneEventSent()
    {
        var clock = Clocks.At(Api.Now);
        await using var bus = new FakeServiceBus(clock);
        await bus.StartAsync();
        var prefix = AzuriteFixture.NewPrefix();
        var settings = With(HandoffKit.Settings(), bus.Settings());
        await using var first = await TestApp.StartAsync(azurite.ConnectionString, clock, settings, prefix);
        await using var second = await TestApp.StartAsync(azurite.ConnectionString, clock, settings, prefix);
        await first.CreateAsync();
        await first.RunAsync("PlanHandoffs");
        clock.SetUtcNow(DateTimeOffset.Parse("2026-11-12T15:31:00Z", System.Globalization.CultureInfo.InvariantCulture));

        await Task.WhenAll(first.Service<Core.Handoffs.FlagMissedHandoffsJob>().RunAsync(), second.Service<Core.Handoffs.FlagMissedHandoffsJob>().RunAsync());

        Assert.Equal((1, 0), (bus.Messages.Count, bus.Duplicates));
    }

    [Fact]
    public async Task FlagMissed_ServiceBusAnswers503ThenOk_EventRetriedNextRunSlackNotRepeated()
    {
        var clock = Clocks.At(Api.Now);
        await using var bus = new FakeServiceBus(clock);
        await using var slack = new FakeSlack();
        await bus.StartAsync();
        await slack.StartAsync();
        bus.Enqueue(FakeResponse.Status(503, "<Error><Code>503</Code><Detail>Server busy.</Detail></Error>"));
        await using var app = await TestApp.StartAsync(azurite.ConnectionString, clock, With(HandoffKit.Settings(slack), bus.Settings()));
        await app.MissAsync(clock);
        var afterFirst = (Bus: bus.Messages.Count, Slack: slack.Messages.Count);
        clock.Advance(TimeSpan.FromMinutes(5));

        await app.RunAsync("FlagMissedHandoffs");

        Assert.Equal((0, 1), afterFirst);
        Assert.Equal((1, 1), (bus.Messages.Count, slack.Messages.Count));
    }

    [Fact]
    public async Task FlagMissed_WrongSharedAccessKey_RecordedFailedWithStatusNotKey()
    {
        var clock = Clocks.At(Api.Now);
        await using var bus = new FakeServiceBus(clock);
        await bus.StartAsync();
        var wrongKey = Convert.ToBase64String(new byte[32]);
        var settings = bus.Settings($"Endpoint=sb://{FakeServiceBus.Host}/;SharedAccessKeyName={FakeServiceBus.KeyName};SharedAccessKey={wrongKey}");
        await using var app = await TestApp.StartAsync(azurite.ConnectionString, clock, With(HandoffKit.Settings(), settings));

        await app.MissAsync(clock);

        var notice = (await app.HandoffAsync())["notices"]![0]!;
        Assert.Equal(("failed", "servicebus"), (notice["channels"]!["servicebus"]!.GetValue<string>(), notice["retry"]![0]!.GetValue<string>()));
        Assert.Empty(bus.Messages);
    }

    [Fact]
    public async Task FlagMissed_ServiceBusNotConfigured_RecordedNotConfigured()
    {
        var clock = Clocks.At(Api.Now);
        await using var app = await TestApp.StartAsync(azurite.ConnectionString, clock, HandoffKit.Settings());

        await app.MissAsync(clock);

        Assert.Equal("notconfigured", (await app.HandoffAsync())["notices"]![0]!["channels"]!["servicebus"]!.GetValue<string>());
    }

    private static Dictionary<string, string> With(Dictionary<string, string> settings, Dictionary<string, string> more)
    {
        foreach (var (key, value) in more)
        {
            settings[key] = value;
        }

        settings["OnCall:ServiceBus:Http:MaxRetryAttempts"] = "0";
        return settings;
    }
}
