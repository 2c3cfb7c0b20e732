using Azure.Storage.Queues;
using Microsoft.Extensions.Options;

namespace OnCall.Infrastructure.Storage;

/// <summary>Hands out queue clients by declared name (prefixed here), creating each queue once on first use.</summary>
public sealed class QueueProvider(QueueServiceClient service, IOptions<StorageOptions> options)
{
    private readonly CreatedOnFirstUse<QueueClient> _queues = new();

    /// <summary>The storage name of a declared queue, e.g. <c>incidents</c> → <c>oncall-incidents</c>.</summary>
    public string StorageName(string queue) => options.Value.ContainerName(queue);

    public Task<QueueClient> GetAsync(string queue, CancellationToken cancellationToken = default) =>
        _queues.GetAsync(queue, async q =>
        {
            var client = service.GetQueueClient(StorageName(q));
            await client.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
            return client;
        });
}
