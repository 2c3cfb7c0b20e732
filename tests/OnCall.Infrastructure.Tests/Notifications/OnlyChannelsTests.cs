using OnCall.Core.Notifications;
using OnCall.TestSupport;

namespace OnCall.Infrastructure.Tests.Notifications;

public sealed class OnlyChannelsTests
{
    [Fact]
    public async Task NotifyAsync_OnlyTheFailedChannel_SendsToThatChannelAlone()
    {
        await using var slack = new FakeSlack();
        await using var teams = new FakeTeams();
        await slack.StartAsync();
        await teams.StartAsync();
        await using var services = NotificationServices.Create(new Dictionary<string, string?>
        {
            ["OnCall:Notifications:SlackWebhookUrl"] = slack.WebhookUrl.AbsoluteUri,
            ["OnCall:Notifications:TeamsWebhookUrl"] = teams.WebhookUrl.AbsoluteUri,
        });

        var result = await services.Notifier().NotifyAsync(
            NotificationSamples.Handoff() with { OnlyChannels = new HashSet<NotificationChannel> { NotificationChannel.Teams } });

        Assert.Equal([ChannelDelivery.Sent(NotificationChannel.Teams)], result.Channels);
        Assert.Empty(slack.Requests);
        Assert.Single(teams.Messages);
    }
}
