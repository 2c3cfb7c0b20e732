using Microsoft.Extensions.Logging.Testing;
using OnCall.Core.Notifications;
using OnCall.TestSupport;

namespace OnCall.Infrastructure.Tests.Notifications;

public sealed class SecretLoggingTests
{
    [Fact]
    public async Task NotifyAsync_SentRetriedAndFailed_NoLogLineHoldsAWebhookUrlOrToken()
    {
        await using var slack = new FakeSlack();
        await using var teams = new FakeTeams();
        await slack.StartAsync();
        await teams.StartAsync();
        slack.Enqueue(FakeResponse.Status(500));
        teams.Enqueue(FakeResponse.Status(502), times: 10);
        var logs = new FakeLogCollector();
        await using var services = NotificationServices.Create(
            new Dictionary<string, string?>
            {
                ["OnCall:Notifications:SlackWebhookUrl"] = slack.WebhookUrl.AbsoluteUri,
                ["OnCall:Notifications:TeamsWebhookUrl"] = teams.WebhookUrl.AbsoluteUri,
                ["OnCall:Notifications:Http:MaxRetryAttempts"] = "2",
            },
            new FakeLoggerProvider(logs));

        var result = await services.Notifier().NotifyAsync(NotificationSamples.Handoff());

        Assert.Equal(DeliveryStatus.Sent, result.For(NotificationChannel.Slack)?.Status);
        Assert.Equal(DeliveryStatus.Failed, result.For(NotificationChannel.Teams)?.Status);
        // Our own lines are there, with the channel and status …
        Assert.Contains(logs.Lines(), l => l.Contains("Notification sent to Slack: HTTP 200", StringComparison.Ordinal));
        Assert.Contains(logs.Lines(), l => l.Contains("Notification to Teams failed: HTTP 502", StringComparison.Ordinal));
        // … and no line, at any level, in any scope or value, holds a secret.
        string[] secrets =
        [
            slack.WebhookUrl.AbsoluteUri, slack.WebhookUrl.AbsolutePath, slack.WebhookToken,
            teams.WebhookUrl.AbsoluteUri, teams.WebhookUrl.Query, teams.Signature, Uri.EscapeDataString(teams.Signature),
        ];
        foreach (var secret in secrets)
        {
            Assert.DoesNotContain(logs.Lines(), l => l.Contains(secret, StringComparison.Ordinal));
        }
    }
}
