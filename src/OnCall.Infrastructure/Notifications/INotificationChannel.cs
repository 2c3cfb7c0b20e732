using OnCall.Core.Notifications;

namespace OnCall.Infrastructure.Notifications;

/// <summary>One chat channel. It reports its own outcome, "not configured" included, and throws only when cancelled.</summary>
public interface INotificationChannel
{
    NotificationChannel Channel { get; }

    Task<ChannelDelivery> SendAsync(Notification notification, CancellationToken cancellationToken = default);
}
