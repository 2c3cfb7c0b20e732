using OnCall.Core.Ports;

namespace OnCall.Infrastructure.Storage;

public sealed class StorageMessageSender(QueueProvider queues) : IMessageSender
{
    public Task SendAsync(string queue, string body, TimeSpan? delay = null, CancellationToken cancellationToken = default) =>
        queues.RunAsync(queue, client => client.SendMessageAsync(body, visibilityTimeout: delay, cancellationToken: cancellationToken), cancellationToken);
}
