using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OnCall.Core.Notifications;

namespace OnCall.Infrastructure.Notifications;

/// <summary>Posts to a Slack incoming webhook: the rotation's own when the notification names one, else the configured one.</summary>
public sealed class SlackNotifier(
    HttpClient http,
    IOptions<NotificationOptions> options,
    ILogger<SlackNotifier> logger) : INotificationChannel
{
    public NotificationChannel Channel => NotificationChannel.Slack;

    public Task<ChannelDelivery> SendAsync(Notification notification, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(notification);
        if (notification.SlackWebhookUrl is { } own)
        {
            // The rotation's URL was not checked at start like the configured one; check it before it is used.
            return WebhookUrlAttribute.IsAcceptable(own)
                ? WebhookPost.PostAsync(
                    http,
                    Channel,
                    "Slack (rotation webhook)",
                    own,
                    SlackMessage.Build(notification),
                    logger,
                    cancellationToken)
                : Task.FromResult(ChannelDelivery.Failed(Channel, "the rotation's Slack webhook is not an https URL"));
        }

        return NotificationOptions.Parse(options.Value.SlackWebhookUrl) is { } configured
            ? WebhookPost.PostAsync(http, Channel, "Slack", configured, SlackMessage.Build(notification), logger, cancellationToken)
            : Task.FromResult(ChannelDelivery.NotConfigured(Channel));
    }
}
