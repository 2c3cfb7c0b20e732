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

        // Warmed first: run cold as the suite's first test, the server and client code took longer to compile than an
        // attempt's budget, and CI saw every attempt time out before one request was recorded.
        using (var warm = new HttpClient())
        {
            (await warm.PostAsync(slack.WebhookUrl, new StringContent("{\"text\":\"warm-up\"}"))).Dispose();
        }

        var (before, accepted) = (slack.Requests.Count, slack.Messages.Count);
        slack.Enqueue(FakeResponse.Slow(TimeSpan.FromSeconds(60)), times: 10);
        await using var services = NotificationServices.Create(new Dictionary<string, string?>
        {
            ["OnCall:Notifications:SlackWebhookUrl"] = slack.WebhookUrl.AbsoluteUri,
            ["OnCall:Notifications:Http:AttemptTimeout"] = "00:00:00.500",
            ["OnCall:Notifications:Http:TotalTimeout"] = "00:00:02",
        });

        var clock = Stopwatch.StartNew();
        var result = await services.Notifier().NotifyAsync(NotificationSamples.Handoff());
        clock.Stop();

        Assert.Equal(ChannelDelivery.Failed(NotificationChannel.Slack, "timed out"), result.For(NotificationChannel.Slack));
        // Two seconds of budget plus slack for a loaded machine; without the timeouts it would be a minute.
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(6), $"took {clock.Elapsed}");
        // Each attempt was cut at 500 ms and tried again, not waited on.
        Assert.True(slack.Requests.Count - before >= 2, $"{slack.Requests.Count - before} attempts");
        Assert.Equal(accepted, slack.Messages.Count);
    }
}
