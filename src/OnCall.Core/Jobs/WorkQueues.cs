using System.Text.Json;

namespace OnCall.Core.Jobs;

/// <summary>
/// A Storage queue and the type of message it carries, declared once and used by both ends: whoever enqueues
/// (<see cref="IWorkQueueSender"/>) and the queue function that handles it (<see cref="IQueueJob{TMessage}"/>).
/// <see cref="Name"/> is the declared name; storage adds the app's prefix.
/// </summary>
public sealed record WorkQueueName<TMessage>(string Name);

/// <summary>
/// One message handed to a queue job: its id, its typed body, and how many times it has been handed out (1 on the first
/// try).
/// </summary>
public sealed record WorkItem<TMessage>(string Id, TMessage Body, long DequeueCount);

/// <summary>
/// The work behind a queue function, one message at a time. Throwing leaves the message for another try;
/// after the last try it moves to the poison queue, where it stays for someone to look at.
/// Handlers must be idempotent: a message can be handed out again after a crash.
/// </summary>
public interface IQueueJob<TMessage>
{
    Task HandleAsync(WorkItem<TMessage> item, CancellationToken cancellationToken = default);
}

/// <summary>Puts work on a queue function's Storage queue (not a chat message: see <c>INotifier</c> for those).</summary>
public interface IWorkQueueSender
{
    Task EnqueueAsync<TMessage>(
        WorkQueueName<TMessage> queue,
        TMessage message,
        TimeSpan? delay = null,
        CancellationToken cancellationToken = default);
}

/// <summary>The one wire format of queue messages, so the sender and the queue function always agree.</summary>
public static class WorkQueueJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    public static string Serialize<TMessage>(TMessage message) => JsonSerializer.Serialize(message, Options);

    /// <summary>The message, or <see cref="UnreadableMessageException"/> when it is not a <typeparamref name="TMessage"/> at all.</summary>
    public static TMessage Deserialize<TMessage>(string body) => (TMessage)Deserialize(body, typeof(TMessage));

    /// <inheritdoc cref="Deserialize{TMessage}(string)"/>
    public static object Deserialize(string body, Type messageType)
    {
        try
        {
            return JsonSerializer.Deserialize(body, messageType, Options)
                ?? throw new UnreadableMessageException(messageType, "the message is null");
        }
        catch (JsonException exception)
        {
            throw new UnreadableMessageException(messageType, exception.Message);
        }
    }
}

/// <summary>A message that no retry can make readable: it goes to the poison queue at once.</summary>
public sealed class UnreadableMessageException(Type expected, string reason)
    : Exception($"The message is not a {expected.Name}: {reason}");
