using OnCall.Functions.Catalogue;

namespace OnCall.Functions.Hosting;

/// <summary>Hands a message to its queue function's job. Shared by the standalone listener and the Functions host.</summary>
public sealed class QueueInvoker(IServiceProvider services, ILogger<QueueInvoker> logger)
{
    public async Task InvokeAsync(QueueFunction function, ReceivedMessage message, CancellationToken cancellationToken = default)
    {
        logger.LogInformation("Queue function {Function} handling message {MessageId} (try {DequeueCount}).", function.Name, message.Id, message.DequeueCount);
        await function.InvokeAsync(services, message, cancellationToken);
    }
}
