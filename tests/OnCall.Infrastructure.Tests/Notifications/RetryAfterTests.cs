using OnCall.Core.Notifications;
using OnCall.TestSupport;

namespace OnCall.Infrastructure.Tests.Notifications;

public sealed class RetryAfterTests
{
    [Fact]
    public async Task NotifyAsync_SlackAnswers429WithRetryAfterOneSecond_WaitsItOutThenSends()
    {
        await using var slack = new FakeSlack();
        await slack.StartAsync();
        slack.Enqueue(FakeResponse.TooManyRequests(TimeSpan.FromSeconds(1)));
        await using var services = NotificationServices.Create(new Dictionary<string, string?>
        {
            ["OnCall:Notifications:SlackWebhookUrl"] = slack.WebhookUrl.AbsoluteUri,
        });

        var result = await services.Notifier().NotifyAsync(NotificationSamples.Handoff());

        Assert.Equal(DeliveryStatus.Sent, result.For(NotificationChannel.Slack)?.Status);
        Assert.Equal(2, slack.Requests.Count);
        // The configured base delay is 50 ms, so only the header explains a wait of about a second.
        var gap = slack.Requests[1].ReceivedAt - slack.Requests[0].ReceivedAt;
        Assert.True(gap >= TimeSpan.FromMilliseconds(950), $"retried after {gap.TotalMilliseconds} ms");
        Assert.Single(slack.Messages);
    }

    [Fact]
    public async Task NotifyAsync_TeamsAnswers429WithRetryAfterAsHttpDate_WaitsUntilThenThenSends()
    {
        await using var teams = new FakeTeams();
        await teams.StartAsync();
        // Dated two seconds after the answer; HTTP-dates drop the fraction, so that is one to two seconds of waiting.
        teams.Enqueue(FakeResponse.TooManyRequestsUntil(TimeSpan.FromSeconds(2)));
        await using var services = NotificationServices.Create(new Dictionary<string, string?>
        {
            ["OnCall:Notifications:TeamsWebhookUrl"] = teams.WebhookUrl.AbsoluteUri,
        });

        var result = await services.Notifier().NotifyAsync(NotificationSamples.Handoff());

        Assert.Equal(DeliveryStatus.Sent, result.For(NotificationChannel.Teams)?.Status);
        Assert.Equal(2, teams.Requests.Count);
        var gap = teams.Requests[1].ReceivedAt - teams.Requests[0].ReceivedAt;
        Assert.True(gap >= TimeSpan.FromMilliseconds(950), $"retried after {gap.TotalMilliseconds} ms");
    }
}
