using System.Text;
using System.Text.Json.Nodes;
using OnCall.Core.Notifications;

namespace OnCall.Infrastructure.Notifications;

/// <summary>
/// A notification as a Slack incoming-webhook message: <c>{"text": …, "blocks": […]}</c>. <c>text</c> is the fallback
/// Slack shows in notifications; the blocks are a header, the lines, the facts as fields and the link.
/// </summary>
public static class SlackMessage
{
    // Block Kit limits: header text 150 characters, section text 3000, a field 2000, at most 10 fields a section.
    private const int HeaderLimit = 150;
    private const int SectionLimit = 3000;
    private const int FieldLimit = 2000;
    private const int FieldsPerSection = 10;

    public static JsonObject Build(Notification notification)
    {
        ArgumentNullException.ThrowIfNull(notification);
        var blocks = new JsonArray
        {
            new JsonObject
            {
                ["type"] = "header",
                ["text"] = new JsonObject { ["type"] = "plain_text", ["text"] = Truncate(notification.Title, HeaderLimit) },
            },
        };

        if (notification.Lines.Count > 0)
        {
            blocks.Add(Section(Truncate(Escape(string.Join('\n', notification.Lines)), SectionLimit)));
        }

        foreach (var chunk in notification.Facts.Chunk(FieldsPerSection))
        {
            var fields = new JsonArray();
            foreach (var fact in chunk)
            {
                fields.Add(Mrkdwn(Truncate($"*{Escape(fact.Name)}*\n{Escape(fact.Value)}", FieldLimit)));
            }

            blocks.Add(new JsonObject { ["type"] = "section", ["fields"] = fields });
        }

        if (notification.Link is { } link)
        {
            blocks.Add(Section(Link(link)));
        }

        return new JsonObject { ["text"] = Fallback(notification), ["blocks"] = blocks };
    }

    /// <summary>Slack's mrkdwn treats these three as control characters.</summary>
    public static string Escape(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.Replace("&", "&amp;", StringComparison.Ordinal)
            .Replace("<", "&lt;", StringComparison.Ordinal)
            .Replace(">", "&gt;", StringComparison.Ordinal);
    }

    private static string Fallback(Notification notification)
    {
        var text = new StringBuilder(Escape(notification.Title));
        foreach (var line in notification.Lines)
        {
            text.Append('\n').Append(Escape(line));
        }

        foreach (var fact in notification.Facts)
        {
            text.Append('\n').Append(Escape(fact.Name)).Append(": ").Append(Escape(fact.Value));
        }

        if (notification.Link is { } link)
        {
            text.Append('\n').Append(Link(link));
        }

        return Truncate(text.ToString(), SectionLimit);
    }

    // In <url|label> a '|' or '>' in the URL would end it early.
    private static string Link(NotificationLink link) =>
        $"<{link.Url.AbsoluteUri.Replace("|", "%7C", StringComparison.Ordinal).Replace(">", "%3E", StringComparison.Ordinal)}"
        + $"|{Escape(link.Label)}>";

    private static JsonObject Section(string mrkdwn) => new() { ["type"] = "section", ["text"] = Mrkdwn(mrkdwn) };

    private static JsonObject Mrkdwn(string text) => new() { ["type"] = "mrkdwn", ["text"] = text };

    private static string Truncate(string text, int limit) => text.Length <= limit ? text : string.Concat(text.AsSpan(0, limit - 1), "…");
}
