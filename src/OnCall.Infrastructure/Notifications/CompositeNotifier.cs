using Microsoft.Extensions.Logging;
using OnCall.Core.Notifications;
using OnCall.Core.Ports;

namespace OnCall.Infrastructure.Notifications;

/// <summary>
/// Sends to every channel at once, so a slow or failing one neither delays nor stops the others. The channels (outgoing
/// HTTP clients with their resilience pipelines) are made at the first notification, not when a service that may notify
/// is made: a request that notifies no one does not build them.
/// </summary>
public sealed class CompositeNotifier(Func<IEnumerable<INotificationChannel>> channels, ILogger<CompositeNotifier> logger) : INotifier
{
    private readonly Lazy<INotificationChannel[]> _channels = new(() => [.. channels()]);

    public async Task<NotificationResult> NotifyAsync(Notification notification, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(notification);
        var chosen = _channels.Value.Where(c => notification.OnlyChannels is null || notification.OnlyChannels.Contains(c.Channel));
        var deliveries = await Task.WhenAll(chosen.Select(c => SendAsync(c, notification, cancellationToken)));
        return new NotificationResult(deliveries);
    }

    private async Task<ChannelDelivery> SendAsync(
        INotificationChannel channel,
        Notification notification,
        CancellationToken cancellationToken = default)
    {
        try
        {
            return await channel.SendAsync(notification, cancellationToken);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            // A bug in one channel must not lose the others' results. Only the type is logged: a message could quote the URL.
            logger.LogError("Notification to {Channel} failed unexpectedly: {ExceptionType}", channel.Channel, e.GetType().FullName);
            return ChannelDelivery.Failed(channel.Channel, "unexpected error");
        }
    }
}
