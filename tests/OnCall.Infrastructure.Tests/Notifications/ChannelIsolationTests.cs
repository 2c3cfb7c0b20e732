using System.Net;
using System.Net.Sockets;
using OnCall.Core.Notifications;
using OnCall.TestSupport;

namespace OnCall.Infrastructure.Tests.Notifications;

public sealed class ChannelIsolationTests
{
    [Fact]
    public async Task NotifyAsync_TeamsKeepsFailing_SlackIsStillSent()
    {
        await using var slack = new FakeSlack();
        await using var teams = new FakeTeams();
        await slack.StartAsync();
        await teams.StartAsync();
        teams.Enqueue(FakeResponse.Status(503), times: 10);
        await using var services = NotificationServices.Create(new Dictionary<string, string?>
        {
            ["OnCall:Notifications:SlackWebhookUrl"] = slack.WebhookUrl.AbsoluteUri,
            ["OnCall:Notifications:TeamsWebhookUrl"] = teams.WebhookUrl.AbsoluteUri,
            ["OnCall:Notifications:Http:MaxRetryAttempts"] = "1",
        });

        var result = await services.Notifier().NotifyAsync(NotificationSamples.Handoff());

        Assert.Equal(ChannelDelivery.Sent(NotificationChannel.Slack), result.For(NotificationChannel.Slack));
        Assert.Equal(ChannelDelivery.Failed(NotificationChannel.Teams, "HTTP 503"), result.For(NotificationChannel.Teams));
        Assert.Single(slack.Messages);
        Assert.Equal([NotificationChannel.Teams], result.FailedChannels);
    }

    [Fact]
    public async Task NotifyAsync_SlackUnreachable_TeamsIsStillSent()
    {
        await using var teams = new FakeTeams();
        await teams.StartAsync();
        // A port held but not listening: connections are refused, and no other test's server can take it meanwhile.
        using var held = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        held.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var closed = new Uri($"http://127.0.0.1:{((IPEndPoint)held.LocalEndPoint!).Port}/services/T0/B0/closedclosedclosed");
        await using var services = NotificationServices.Create(new Dictionary<string, string?>
        {
            ["OnCall:Notifications:SlackWebhookUrl"] = closed.AbsoluteUri,
            ["OnCall:Notifications:TeamsWebhookUrl"] = teams.WebhookUrl.AbsoluteUri,
            ["OnCall:Notifications:Http:MaxRetryAttempts"] = "1",
        });

        var result = await services.Notifier().NotifyAsync(NotificationSamples.Handoff());

        Assert.Equal(DeliveryStatus.Failed, result.For(NotificationChannel.Slack)?.Status);
        Assert.StartsWith("request failed", result.For(NotificationChannel.Slack)?.Reason, StringComparison.Ordinal);
        Assert.Equal(ChannelDelivery.Sent(NotificationChannel.Teams), result.For(NotificationChannel.Teams));
        Assert.Single(teams.Messages);
    }
}
