namespace OnCall.Infrastructure.Notifications;

/// <summary>
/// Where notifications go, bound from <c>OnCall:Notifications</c>. Each channel is off until its URL is set.
/// Both URLs are secrets (whoever holds one can post), so nothing logs them.
/// </summary>
public sealed class NotificationOptions
{
    public const string Section = "OnCall:Notifications";

    /// <summary>A Slack incoming webhook, <c>https://hooks.slack.com/services/…</c>.</summary>
    [WebhookUrl]
    public string? SlackWebhookUrl { get; set; }

    /// <summary>A Teams Workflows webhook ("When a Teams webhook request is received"), with its <c>sig</c> in the query.</summary>
    [WebhookUrl]
    public string? TeamsWebhookUrl { get; set; }

    internal static Uri? Parse(string? url) =>
        string.IsNullOrWhiteSpace(url) ? null : new Uri(url, UriKind.Absolute);
}
