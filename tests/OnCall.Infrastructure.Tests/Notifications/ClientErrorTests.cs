using OnCall.Core.Notifications;
using OnCall.TestSupport;

namespace OnCall.Infrastructure.Tests.Notifications;

public sealed class ClientErrorTests
{
    [Fact]
    public async Task NotifyAsync_SlackWebhookRevoked_FailsAtOnceWithSlacksErrorCode()
    {
        await using var slack = new FakeSlack();
        await slack.StartAsync();
        var revoked = new Uri(slack.BaseAddress, "services/T0FAKE0001/B0FAKE0001/revokedrevokedrevoked");
        await using var services = NotificationServices.Create(new Dictionary<string, string?>
        {
            ["OnCall:Notifications:SlackWebhookUrl"] = revoked.AbsoluteUri,
        });

        var result = await services.Notifier().NotifyAsync(NotificationSamples.Handoff());

        // A 404 will not get better by asking again.
        Assert.Equal(ChannelDelivery.Failed(NotificationChannel.Slack, "HTTP 404 no_service"), result.For(NotificationChannel.Slack));
        Assert.Single(slack.Requests);
    }
}
