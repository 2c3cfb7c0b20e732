namespace OnCall.Core.Notifications;

/// <summary>Where a notice can go: the chat channels, and the Service Bus topic that carries its domain event.</summary>
public enum NotificationChannel
{
    Slack,
    Teams,
    ServiceBus,
}

/// <summary>A labelled value shown as a table row (Slack fields, a Teams fact set).</summary>
public sealed record NotificationFact(string Name, string Value);

/// <summary>A link shown as a button or a link line.</summary>
public sealed record NotificationLink(string Label, Uri Url);

/// <summary>A message for people, rendered by each channel in its own format.</summary>
/// <param name="Title">The headline.</param>
/// <param name="Lines">Paragraphs of plain text, in order.</param>
public sealed record Notification(string Title, IReadOnlyList<string> Lines)
{
    public IReadOnlyList<NotificationFact> Facts { get; init; } = [];

    public NotificationLink? Link { get; init; }

    /// <summary>A rotation's own Slack incoming webhook, used instead of the configured one. A secret: never logged.</summary>
    public Uri? SlackWebhookUrl { get; init; }

    /// <summary>Only these channels are tried (e.g. the ones that failed last time); null means every channel.</summary>
    public IReadOnlySet<NotificationChannel>? OnlyChannels { get; init; }
}
