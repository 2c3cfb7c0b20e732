namespace OnCall.Core.Jobs;

/// <summary>One message from a queue, and how many times it has been handed out (1 on the first try).</summary>
public sealed record ReceivedMessage(string Id, string Body, long DequeueCount);

/// <summary>
/// The work behind a queue function, one message at a time. Throwing leaves the message for another try;
/// after the last try it moves to the <c>{queue}-poison</c> queue, where it stays for someone to look at.
/// Handlers must be idempotent: a message can be handed out again after a crash.
/// </summary>
public interface IQueueJob
{
    Task HandleAsync(ReceivedMessage message, CancellationToken cancellationToken = default);
}
