using System.Text.Json.Nodes;
using Azure.Messaging.ServiceBus;
using Microsoft.Extensions.DependencyInjection;
using OnCall.TestSupport;

namespace OnCall.Functions.Tests.Handoffs;

/// <summary>The <c>handoff.missed</c> event, sent through a recording <see cref="ServiceBusSender"/> in place of the app's own.</summary>
[Collection(StorageTests.Collection)]
public sealed class MissedEventTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task FlagMissed_ServiceBusConfigured_OneHandoffMissedEventKeyedByHandoffId()
    {
        var clock = Clocks.At(Api.Now);
        var bus = new RecordingServiceBusSender();
        await using var app = await TestApp.StartAsync(azurite.ConnectionString, clock, With(HandoffKit.Settings()), services: Use(bus));

        await app.MissAsync(clock);
        await app.RunAsync("FlagMissedHandoffs");

        var message = Assert.Single(bus.Messages);
        Assert.Equal((HandoffKit.Id, "handoff.missed", "application/json"), (message.MessageId, message.Subject, message.ContentType));
        var body = JsonNode.Parse(message.Body.ToString())!;
        Assert.Equal(
            (HandoffKit.Id, "platform", "secondary", "lin@example.com", "ada@example.com", HandoffKit.Due, "2026-11-12T15:31:00Z"),
            (body["handoffId"]!.GetValue<string>(), body["rotationId"]!.GetValue<string>(), body["layer"]!.GetValue<string>(),
             body["outgoing"]!["email"]!.GetValue<string>(), body["incoming"]!["email"]!.GetValue<string>(),
             body["due"]!.GetValue<string>(), body["missedAt"]!.GetValue<string>()));
        Assert.Equal("sent", (await app.HandoffAsync())["notices"]![0]!["channels"]!["servicebus"]!.GetValue<string>());
    }

    [Fact]
    public async Task FlagMissed_TwoInstancesAtOnce_OneEventSent()
    {
        var clock = Clocks.At(Api.Now);
        var bus = new RecordingServiceBusSender();
        var prefix = AzuriteFixture.NewPrefix();
        var settings = With(HandoffKit.Settings());
        await using var first = await TestApp.StartAsync(azurite.ConnectionString, clock, settings, prefix, Use(bus));
        await using var second = await TestApp.StartAsync(azurite.ConnectionString, clock, settings, prefix, Use(bus));
        await first.CreateAsync();
        await first.RunAsync("PlanHandoffs");
        clock.SetUtcNow(DateTimeOffset.Parse("2026-11-12T15:31:00Z", System.Globalization.CultureInfo.InvariantCulture));

        await Task.WhenAll(first.Service<Core.Handoffs.FlagMissedHandoffsJob>().RunAsync(), second.Service<Core.Handoffs.FlagMissedHandoffsJob>().RunAsync());

        // The notice's claim lets one instance send; the other does not even try.
        Assert.Equal((1, 1), (bus.Attempts, bus.Messages.Count));
    }

    [Fact]
    public async Task FlagMissed_ServiceBusBusyThenOk_EventRetriedNextRunSlackNotRepeated()
    {
        var clock = Clocks.At(Api.Now);
        var bus = new RecordingServiceBusSender();
        bus.FailNext(new ServiceBusException("busy", ServiceBusFailureReason.ServiceBusy));
        await using var slack = new FakeSlack();
        await slack.StartAsync();
        await using var app = await TestApp.StartAsync(azurite.ConnectionString, clock, With(HandoffKit.Settings(slack)), services: Use(bus));
        await app.MissAsync(clock);
        var afterFirst = (Bus: bus.Messages.Count, Slack: slack.Messages.Count);
        var notice = (await app.HandoffAsync())["notices"]![0]!;
        clock.Advance(TimeSpan.FromMinutes(5));

        await app.RunAsync("FlagMissedHandoffs");

        Assert.Equal((0, 1), afterFirst);
        Assert.Equal(("failed", "servicebus"), (notice["channels"]!["servicebus"]!.GetValue<string>(), Assert.Single(notice["retry"]!.AsArray())!.GetValue<string>()));
        Assert.Equal((2, 1, 1), (bus.Attempts, bus.Messages.Count, slack.Messages.Count));
        Assert.Equal(HandoffKit.Id, bus.Messages[0].MessageId);
    }

    [Fact]
    public async Task FlagMissed_NotAuthorisedToSend_RecordedFailedForRetry()
    {
        var clock = Clocks.At(Api.Now);
        var bus = new RecordingServiceBusSender();
        bus.FailNext(new UnauthorizedAccessException("Unauthorized access. 'Send' claim(s) are required to perform this operation."));
        await using var app = await TestApp.StartAsync(azurite.ConnectionString, clock, With(HandoffKit.Settings()), services: Use(bus));

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

    /// <summary>The app sends through <paramref name="bus"/>; its own client is never made.</summary>
    private static Action<IServiceCollection> Use(RecordingServiceBusSender bus) => services => services.AddSingleton<ServiceBusSender>(bus);

    /// <summary><paramref name="settings"/> with Service Bus on, for the recording sender's namespace and topic.</summary>
    private static Dictionary<string, string> With(Dictionary<string, string> settings)
    {
        foreach (var (key, value) in RecordingServiceBusSender.Settings())
        {
            settings[key] = value;
        }

        return settings;
    }
}
