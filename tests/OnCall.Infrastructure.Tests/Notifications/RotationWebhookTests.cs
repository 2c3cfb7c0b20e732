using OnCall.Core.Notifications;
using OnCall.TestSupport;

namespace OnCall.Infrastructure.Tests.Notifications;

public sealed class RotationWebhookTests
{
    [Fact]
    public async Task NotifyAsync_RotationHasItsOwnSlackWebhook_PostsThereInsteadOfTheConfiguredOne()
    {
        await using var slack = new FakeSlack();
        await slack.StartAsync();
        var rotationWebhook = slack.CreateWebhook();
        await using var services = NotificationServices.Create(new Dictionary<string, string?>
        {
            ["OnCall:Notifications:SlackWebhookUrl"] = slack.WebhookUrl.AbsoluteUri,
        });

        var result = await services.Notifier().NotifyAsync(NotificationSamples.Handoff() with { SlackWebhookUrl = rotationWebhook });

        Assert.Equal(DeliveryStatus.Sent, result.For(NotificationChannel.Slack)?.Status);
        Assert.Single(slack.MessagesAt(rotationWebhook));
        Assert.Empty(slack.MessagesAt(slack.WebhookUrl));
    }

    [Fact]
    public async Task NotifyAsync_RotationWebhookIsPlainHttpToAnotherHost_FailsWithoutSending()
    {
        await using var services = NotificationServices.Create(new Dictionary<string, string?>());

        var result = await services.Notifier().NotifyAsync(
            NotificationSamples.Handoff() with { SlackWebhookUrl = new Uri("http://hooks.example.com/services/T/B/secret") });

        Assert.Equal(DeliveryStatus.Failed, result.For(NotificationChannel.Slack)?.Status);
        Assert.DoesNotContain("secret", result.For(NotificationChannel.Slack)?.Reason, StringComparison.Ordinal);
    }
}
