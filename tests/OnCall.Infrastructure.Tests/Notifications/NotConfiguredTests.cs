using OnCall.Core.Notifications;
using OnCall.TestSupport;

namespace OnCall.Infrastructure.Tests.Notifications;

public sealed class NotConfiguredTests
{
    [Fact]
    public async Task NotifyAsync_NoWebhooks_ReportsBothNotConfigured()
    {
        await using var services = NotificationServices.Create(new Dictionary<string, string?>());

        var result = await services.Notifier().NotifyAsync(NotificationSamples.Handoff());

        Assert.Equal(
            [ChannelDelivery.NotConfigured(NotificationChannel.Slack), ChannelDelivery.NotConfigured(NotificationChannel.Teams)],
            result.Channels.OrderBy(c => c.Channel));
        Assert.False(result.AnyFailed);
    }

    [Fact]
    public async Task NotifyAsync_OnlyTeamsConfigured_SlackNotConfiguredAndNothingPostedToIt()
    {
        await using var slack = new FakeSlack();
        await using var teams = new FakeTeams();
        await slack.StartAsync();
        await teams.StartAsync();
        await using var services = NotificationServices.Create(new Dictionary<string, string?>
        {
            ["OnCall:Notifications:TeamsWebhookUrl"] = teams.WebhookUrl.AbsoluteUri,
            ["OnCall:Notifications:SlackWebhookUrl"] = "",
        });

        var result = await services.Notifier().NotifyAsync(NotificationSamples.Handoff());

        Assert.Equal(DeliveryStatus.NotConfigured, result.For(NotificationChannel.Slack)?.Status);
        Assert.Equal(DeliveryStatus.Sent, result.For(NotificationChannel.Teams)?.Status);
        Assert.Empty(slack.Requests);
        Assert.Single(teams.Requests);
    }
}
