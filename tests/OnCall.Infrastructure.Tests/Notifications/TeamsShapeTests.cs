using OnCall.Core.Notifications;
using OnCall.TestSupport;

namespace OnCall.Infrastructure.Tests.Notifications;

public sealed class TeamsShapeTests
{
    [Fact]
    public async Task NotifyAsync_TeamsConfigured_PostsAnAdaptiveCardMessageAndIsAccepted()
    {
        await using var teams = new FakeTeams();
        await teams.StartAsync();
        await using var services = NotificationServices.Create(new Dictionary<string, string?>
        {
            ["OnCall:Notifications:TeamsWebhookUrl"] = teams.WebhookUrl.AbsoluteUri,
        });

        var result = await services.Notifier().NotifyAsync(NotificationSamples.Handoff());

        Assert.Equal(DeliveryStatus.Sent, result.For(NotificationChannel.Teams)?.Status);
        var message = Assert.Single(teams.Messages);
        Assert.Equal("message", message["type"]!.GetValue<string>());
        var attachment = Assert.Single(message["attachments"]!.AsArray())!;
        Assert.Equal("application/vnd.microsoft.card.adaptive", attachment["contentType"]!.GetValue<string>());
        var card = attachment["content"]!;
        Assert.Equal("AdaptiveCard", card["type"]!.GetValue<string>());
        Assert.Equal("1.4", card["version"]!.GetValue<string>());
        Assert.Equal("http://adaptivecards.io/schemas/adaptive-card.json", card["$schema"]!.GetValue<string>());
        var body = card["body"]!.AsArray();
        Assert.Equal("Handoff: Platform primary", body[0]!["text"]!.GetValue<string>());
        Assert.Equal("Ada hands over to Lin at 10:00 America/New_York.", body[1]!["text"]!.GetValue<string>());
        Assert.Equal("FactSet", body[3]!["type"]!.GetValue<string>());
        Assert.Equal("Lin", body[3]!["facts"]![1]!["value"]!.GetValue<string>());
        var action = Assert.Single(card["actions"]!.AsArray())!;
        Assert.Equal("Action.OpenUrl", action["type"]!.GetValue<string>());
        Assert.Equal("https://oncall.example.com/handoffs/h-1", action["url"]!.GetValue<string>());
    }
}
