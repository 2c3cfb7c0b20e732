using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OnCall.Core.Notifications;

namespace OnCall.Infrastructure.Notifications;

/// <summary>Posts an Adaptive Card to a Teams Workflows webhook, which answers <c>202 Accepted</c>.</summary>
public sealed class TeamsNotifier(
    HttpClient http,
    IOptions<NotificationOptions> options,
    ILogger<TeamsNotifier> logger) : INotificationChannel
{
    public NotificationChannel Channel => NotificationChannel.Teams;

    public Task<ChannelDelivery> SendAsync(Notification notification, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(notification);
        return NotificationOptions.Parse(options.Value.TeamsWebhookUrl) is { } url
            ? WebhookPost.PostAsync(http, Channel, "Teams", url, TeamsMessage.Build(notification), logger, cancellationToken)
            : Task.FromResult(ChannelDelivery.NotConfigured(Channel));
    }
}
