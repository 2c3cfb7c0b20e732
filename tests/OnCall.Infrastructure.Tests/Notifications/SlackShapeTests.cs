using OnCall.Core.Notifications;
using OnCall.TestSupport;

namespace OnCall.Infrastructure.Tests.Notifications;

public sealed class SlackShapeTests
{
    [Fact]
    public async Task NotifyAsync_SlackConfigured_PostsTextAndBlocksAsJson()
    {
        await using var slack = new FakeSlack();
        await slack.StartAsync();
        await using var services = NotificationServices.Create(new Dictionary<string, string?>
        {
            ["OnCall:Notifications:SlackWebhookUrl"] = slack.WebhookUrl.AbsoluteUri,
        });

        var result = await services.Notifier().NotifyAsync(NotificationSamples.Handoff());

        Assert.Equal(DeliveryStatus.Sent, result.For(NotificationChannel.Slack)?.Status);
        var request = Assert.Single(slack.Requests);
        Assert.Equal("POST", request.Method);
        Assert.StartsWith("application/json", request.Headers["Content-Type"], StringComparison.Ordinal);
        var message = Assert.Single(slack.Messages);
        Assert.Contains("Handoff: Platform primary", message["text"]!.GetValue<string>(), StringComparison.Ordinal);
        var blocks = message["blocks"]!.AsArray();
        Assert.Equal("header", blocks[0]!["type"]!.GetValue<string>());
        Assert.Equal("Handoff: Platform primary", blocks[0]!["text"]!["text"]!.GetValue<string>());
        Assert.Contains("Ada hands over to Lin", blocks[1]!["text"]!["text"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("*Outgoing*\nAda", blocks[2]!["fields"]![0]!["text"]!.GetValue<string>());
        Assert.Equal("<https://oncall.example.com/handoffs/h-1|Acknowledge>", blocks[3]!["text"]!["text"]!.GetValue<string>());
    }

    [Fact]
    public async Task NotifyAsync_TextWithAngleBrackets_IsEscapedForMrkdwn()
    {
        await using var slack = new FakeSlack();
        await slack.StartAsync();
        await using var services = NotificationServices.Create(new Dictionary<string, string?>
        {
            ["OnCall:Notifications:SlackWebhookUrl"] = slack.WebhookUrl.AbsoluteUri,
        });

        await services.Notifier().NotifyAsync(new Notification("Alert", ["<!channel> & friends"]));

        var section = Assert.Single(slack.Messages)["blocks"]![1]!["text"]!["text"]!.GetValue<string>();
        Assert.Equal("&lt;!channel&gt; &amp; friends", section);
    }
}
