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
        // An HTTP-date has whole seconds; the header says the start of this one.
        var retryAt = DateTimeOffset.UtcNow.AddSeconds(3);
        retryAt = retryAt.AddTicks(-(retryAt.Ticks % TimeSpan.TicksPerSecond));
        teams.Enqueue(FakeResponse.TooManyRequests(retryAt));
        await using var services = NotificationServices.Create(new Dictionary<string, string?>
        {
            ["OnCall:Notifications:TeamsWebhookUrl"] = teams.WebhookUrl.AbsoluteUri,
        });

        var result = await services.Notifier().NotifyAsync(NotificationSamples.Handoff());

        Assert.Equal(DeliveryStatus.Sent, result.For(NotificationChannel.Teams)?.Status);
        Assert.Equal(2, teams.Requests.Count);
        // The first answer came well before the date, and the retry not before it (a little slack for clock granularity).
        Assert.True(retryAt - teams.Requests[0].ReceivedAt > TimeSpan.FromMilliseconds(500), "the date was already near");
        Assert.True(teams.Requests[1].ReceivedAt >= retryAt.AddMilliseconds(-50), $"retried at {teams.Requests[1].ReceivedAt:O}, asked {retryAt:O}");
    }
}
