using OnCall.Core.Notifications;
using OnCall.TestSupport;

namespace OnCall.Infrastructure.Tests.Notifications;

public sealed class CircuitBreakerTests
{
    [Fact]
    public async Task NotifyAsync_SlackKeepsFailing_CircuitOpensAndLaterCallsFailWithoutReachingIt()
    {
        await using var slack = new FakeSlack();
        await slack.StartAsync();
        slack.Enqueue(FakeResponse.Status(500), times: 10);
        await using var services = NotificationServices.Create(new Dictionary<string, string?>
        {
            ["OnCall:Notifications:SlackWebhookUrl"] = slack.WebhookUrl.AbsoluteUri,
            ["OnCall:Notifications:Http:MaxRetryAttempts"] = "0",
            ["OnCall:Notifications:Http:CircuitBreakerMinimumThroughput"] = "2",
            ["OnCall:Notifications:Http:CircuitBreakerBreakDuration"] = "00:01:00",
        });
        var notifier = services.Notifier();
        await notifier.NotifyAsync(NotificationSamples.Handoff());
        await notifier.NotifyAsync(NotificationSamples.Handoff());

        var result = await notifier.NotifyAsync(NotificationSamples.Handoff());

        Assert.Equal(ChannelDelivery.Failed(NotificationChannel.Slack, "circuit open after repeated failures"), result.For(NotificationChannel.Slack));
        Assert.Equal(2, slack.Requests.Count);
    }
}
