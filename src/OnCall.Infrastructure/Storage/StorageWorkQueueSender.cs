using OnCall.Core.Jobs;

namespace OnCall.Infrastructure.Storage;

public sealed class StorageWorkQueueSender(QueueProvider queues) : IWorkQueueSender
{
    public Task EnqueueAsync<TMessage>(
        WorkQueueName<TMessage> queue,
        TMessage message,
        TimeSpan? delay = null,
        CancellationToken cancellationToken = default) =>
        queues.RunAsync(
            queue.Name,
            client =>
                client.SendMessageAsync(WorkQueueJson.Serialize(message), visibilityTimeout: delay, cancellationToken: cancellationToken),
            cancellationToken);
}
