using OnCall.Core.Jobs;
using OnCall.Functions.Catalogue;

namespace OnCall.Functions.Hosting;

/// <summary>One message as the standalone queue listener receives it.</summary>
public sealed record ReceivedMessage(string Id, string Body, long DequeueCount);

/// <summary>
/// Hands a message to its queue function's <c>[Function]</c> method outside the Functions host: the body read as the
/// trigger parameter's type (JSON, as the worker reads a POCO), <c>Id</c> and <c>DequeueCount</c> as binding data.
/// </summary>
public sealed class QueueInvoker(IServiceProvider services, ILogger<QueueInvoker> logger)
{
    /// <exception cref="UnreadableMessageException">The body is not the function's message type; no retry can help.</exception>
    public async Task InvokeAsync(QueueFunction function, ReceivedMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(function);
        ArgumentNullException.ThrowIfNull(message);
        logger.LogInformation(
            "Queue function {Function} handling message {MessageId} (try {DequeueCount}).",
            function.Name,
            message.Id,
            message.DequeueCount);
        var body = WorkQueueJson.Deserialize(message.Body, function.MessageType);
        await using var scope = services.CreateAsyncScope();
        await FunctionInvoker.InvokeAsync(
            function,
            scope.ServiceProvider,
            body,
            new Dictionary<string, object?> { ["Id"] = message.Id, ["DequeueCount"] = message.DequeueCount },
            cancellationToken);
    }
}
