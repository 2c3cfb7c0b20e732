using OnCall.Core.Jobs;

namespace OnCall.Infrastructure.Storage;

public sealed class StorageWorkQueueSender(QueueProvider queues) : IWorkQueueSender
{
    public async Task EnqueueAsync<TMessage>(WorkQueueName<TMessage> queue, TMessage message, TimeSpan? delay = null, CancellationToken cancellationToken = default)
    {
        var client = await queues.GetAsync(queue.Name, cancellationToken);
        await client.SendMessageAsync(WorkQueueJson.Serialize(message), visibilityTimeout: delay, cancellationToken: cancellationToken);
    }
}
