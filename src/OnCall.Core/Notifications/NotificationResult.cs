namespace OnCall.Core.Notifications;

public enum DeliveryStatus
{
    /// <summary>The channel accepted the message.</summary>
    Sent,

    /// <summary>The channel was tried and did not accept the message; trying again may help.</summary>
    Failed,

    /// <summary>No webhook is configured for the channel, so nothing was sent.</summary>
    NotConfigured,
}

/// <summary>What happened on one channel. <see cref="Reason"/> explains a failure and never holds a webhook URL.</summary>
public sealed record ChannelDelivery(NotificationChannel Channel, DeliveryStatus Status, string? Reason = null)
{
    public static ChannelDelivery Sent(NotificationChannel channel) => new(channel, DeliveryStatus.Sent);

    public static ChannelDelivery Failed(NotificationChannel channel, string reason) => new(channel, DeliveryStatus.Failed, reason);

    public static ChannelDelivery NotConfigured(NotificationChannel channel) =>
        new(channel, DeliveryStatus.NotConfigured, "not configured");
}

/// <summary>One entry per channel tried or skipped, so a caller can record skips and retry only failures.</summary>
public sealed record NotificationResult(IReadOnlyList<ChannelDelivery> Channels)
{
    /// <summary>The outcome on <paramref name="channel"/>, or null when it was not asked for.</summary>
    public ChannelDelivery? For(NotificationChannel channel) => Channels.FirstOrDefault(c => c.Channel == channel);

    /// <summary>Channels to try again: the ones that failed.</summary>
    public IReadOnlySet<NotificationChannel> FailedChannels =>
        Channels.Where(c => c.Status == DeliveryStatus.Failed).Select(c => c.Channel).ToHashSet();

    public bool AnyFailed => Channels.Any(c => c.Status == DeliveryStatus.Failed);
}
