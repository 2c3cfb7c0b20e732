namespace OnCall.FunctionsHostFake;

/// <summary>
/// An Azure Storage queue message as the queue trigger hands it to the host: its text and the properties that become
/// trigger metadata (Id, DequeueCount, InsertionTime, ExpirationTime, NextVisibleTime, PopReceipt).
/// Times left null get the values a freshly dequeued message would have (inserted now, 7-day TTL, 10-minute visibility).
/// </summary>
/// <param name="MessageText">The message body as text (the queue extension's QueueMessage.Body.ToString()).</param>
public sealed record QueueMessageDetails(string MessageText)
{
    /// <summary>The message id (QueueMessage.MessageId).</summary>
    public string Id { get; init; } = Guid.NewGuid().ToString();

    /// <summary>How many times the message has been dequeued, this time included (1 on a first delivery).</summary>
    public long DequeueCount { get; init; } = 1;

    /// <summary>QueueMessage.InsertedOn.</summary>
    public DateTimeOffset? InsertionTime { get; init; }

    /// <summary>QueueMessage.ExpiresOn.</summary>
    public DateTimeOffset? ExpirationTime { get; init; }

    /// <summary>QueueMessage.NextVisibleOn.</summary>
    public DateTimeOffset? NextVisibleTime { get; init; }

    /// <summary>QueueMessage.PopReceipt.</summary>
    public string? PopReceipt { get; init; }
}
