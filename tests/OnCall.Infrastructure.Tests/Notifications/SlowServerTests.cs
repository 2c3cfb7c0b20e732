using System.Diagnostics;
using OnCall.Core.Notifications;
using OnCall.TestSupport;

namespace OnCall.Infrastructure.Tests.Notifications;

public sealed class SlowServerTests
{
    [Fact]
    public async Task NotifyAsync_ServerSlowerThanTheAttemptTimeout_FailsWithinTheTotalTimeout()
    {
        await using var slack = new FakeSlack();
        await slack.StartAsync();
        slack.Enqueue(FakeResponse.Slow(TimeSpan.FromSeconds(60)), times: 10);
        await using var services = NotificationServices.Create(new Dictionary<string, string?>
        {
            ["OnCall:Notifications:SlackWebhookUrl"] = slack.WebhookUrl.AbsoluteUri,
            ["OnCall:Notifications:Http:AttemptTimeout"] = "00:00:00.300",
            ["OnCall:Notifications:Http:TotalTimeout"] = "00:00:01",
        });

        var clock = Stopwatch.StartNew();
        var result = await services.Notifier().NotifyAsync(NotificationSamples.Handoff());
        clock.Stop();

        Assert.Equal(ChannelDelivery.Failed(NotificationChannel.Slack, "timed out"), result.For(NotificationChannel.Slack));
        // One second of budget plus slack for a loaded machine; without the timeouts it would be a minute.
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");
        // Each attempt was cut at 300 ms and tried again, not waited on.
        Assert.True(slack.Requests.Count >= 2, $"{slack.Requests.Count} attempts");
        Assert.Empty(slack.Messages);
    }
}
