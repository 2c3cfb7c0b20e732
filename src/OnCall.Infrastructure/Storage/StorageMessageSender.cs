using OnCall.Core.Ports;

namespace OnCall.Infrastructure.Storage;

public sealed class StorageMessageSender(QueueProvider queues) : IMessageSender
{
    public async Task SendAsync(string queue, string body, TimeSpan? delay = null, CancellationToken cancellationToken = default)
    {
        var client = await queues.GetAsync(queue, cancellationToken);
        await client.SendMessageAsync(body, visibilityTimeout: delay, cancellationToken: cancellationToken);
    }
}
