using OnCall.Core.Notifications;

namespace OnCall.Core.Ports;

/// <summary>Tells people in chat. Sends to every configured channel; one channel's failure does not stop the others.</summary>
public interface INotifier
{
    /// <summary>
    /// Sends <paramref name="notification"/> and reports each channel: sent, failed (with a reason) or not configured.
    /// Does not throw for a channel's failure; only cancellation through <paramref name="cancellationToken"/> ends it early.
    /// </summary>
    Task<NotificationResult> NotifyAsync(Notification notification, CancellationToken cancellationToken = default);
}
