using System.Text.Json.Nodes;
using OnCall.Core.Notifications;

namespace OnCall.Infrastructure.Notifications;

/// <summary>
/// A notification as a Teams Workflows webhook message: <c>{"type":"message","attachments":[{"contentType":
/// "application/vnd.microsoft.card.adaptive","content":{AdaptiveCard}}]}</c>. Workflows post Adaptive Cards only;
/// version 1.4 renders on every Teams client, mobile included.
/// </summary>
public static class TeamsMessage
{
    public const string AdaptiveCardContentType = "application/vnd.microsoft.card.adaptive";

    public static JsonObject Build(Notification notification)
    {
        ArgumentNullException.ThrowIfNull(notification);
        var body = new JsonArray
        {
            new JsonObject
            {
                ["type"] = "TextBlock",
                ["text"] = notification.Title,
                ["size"] = "Medium",
                ["weight"] = "Bolder",
                ["wrap"] = true,
            },
        };
        foreach (var line in notification.Lines)
        {
            body.Add(new JsonObject { ["type"] = "TextBlock", ["text"] = line, ["wrap"] = true });
        }

        if (notification.Facts.Count > 0)
        {
            var facts = new JsonArray();
            foreach (var fact in notification.Facts)
            {
                facts.Add(new JsonObject { ["title"] = fact.Name, ["value"] = fact.Value });
            }

            body.Add(new JsonObject { ["type"] = "FactSet", ["facts"] = facts });
        }

        var card = new JsonObject
        {
            ["$schema"] = "http://adaptivecards.io/schemas/adaptive-card.json",
            ["type"] = "AdaptiveCard",
            ["version"] = "1.4",
            ["body"] = body,
        };
        if (notification.Link is { } link)
        {
            card["actions"] = new JsonArray
            {
                new JsonObject { ["type"] = "Action.OpenUrl", ["title"] = link.Label, ["url"] = link.Url.AbsoluteUri },
            };
        }

        return new JsonObject
        {
            ["type"] = "message",
            ["attachments"] = new JsonArray
            {
                new JsonObject { ["contentType"] = AdaptiveCardContentType, ["contentUrl"] = null, ["content"] = card },
            },
        };
    }
}
