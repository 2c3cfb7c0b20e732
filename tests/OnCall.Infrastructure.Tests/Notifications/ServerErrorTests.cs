using OnCall.Core.Notifications;
using OnCall.TestSupport;

namespace OnCall.Infrastructure.Tests.Notifications;

public sealed class ServerErrorTests
{
    [Fact]
    public async Task NotifyAsync_SlackAnswers500Once_RetriesAndSends()
    {
        await using var slack = new FakeSlack();
        await slack.StartAsync();
        slack.Enqueue(FakeResponse.Status(500, "rollup_error"));
        await using var services = NotificationServices.Create(new Dictionary<string, string?>
        {
            ["OnCall:Notifications:SlackWebhookUrl"] = slack.WebhookUrl.AbsoluteUri,
        });

        var result = await services.Notifier().NotifyAsync(NotificationSamples.Handoff());

        Assert.Equal(DeliveryStatus.Sent, result.For(NotificationChannel.Slack)?.Status);
        Assert.Equal(2, slack.Requests.Count);
        Assert.Single(slack.Messages);
    }

    [Fact]
    public async Task NotifyAsync_SlackAnswers500EveryTime_FailsAfterTheConfiguredRetries()
    {
        await using var slack = new FakeSlack();
        await slack.StartAsync();
        slack.Enqueue(FakeResponse.Status(500, "rollup_error"), times: 10);
        await using var services = NotificationServices.Create(new Dictionary<string, string?>
        {
            ["OnCall:Notifications:SlackWebhookUrl"] = slack.WebhookUrl.AbsoluteUri,
            ["OnCall:Notifications:Http:MaxRetryAttempts"] = "2",
        });

        var result = await services.Notifier().NotifyAsync(NotificationSamples.Handoff());

        Assert.Equal(ChannelDelivery.Failed(NotificationChannel.Slack, "HTTP 500 rollup_error"), result.For(NotificationChannel.Slack));
        Assert.Equal(3, slack.Requests.Count);
    }
}
