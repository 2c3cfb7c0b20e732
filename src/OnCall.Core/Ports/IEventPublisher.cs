using OnCall.Core.Events;
using OnCall.Core.Notifications;

namespace OnCall.Core.Ports;

/// <summary>Publishes domain events to the events topic, as a notification channel of its own.</summary>
public interface IEventPublisher
{
    /// <summary>
    /// Publishes <paramref name="domainEvent"/> and reports the outcome on <see cref="NotificationChannel.ServiceBus"/>:
    /// sent, failed (retry later with the same message id) or not configured. Throws only when cancelled.
    /// </summary>
    Task<ChannelDelivery> PublishAsync(DomainEvent domainEvent, CancellationToken cancellationToken = default);
}
