using System.Collections.Concurrent;
using Azure.Storage.Queues;
using Microsoft.Extensions.Options;

namespace OnCall.Infrastructure.Storage;

/// <summary>Hands out queue clients by declared name (prefixed here), creating each queue once on first use.</summary>
public sealed class QueueProvider(QueueServiceClient service, IOptions<StorageOptions> options)
{
    private readonly ConcurrentDictionary<string, Lazy<Task<QueueClient>>> _queues = new(StringComparer.Ordinal);

    /// <summary>The storage name of a declared queue, e.g. <c>incidents</c> → <c>oncall-incidents</c>.</summary>
    public string StorageName(string queue) => options.Value.ContainerName(queue);

    public async Task<QueueClient> GetAsync(string queue, CancellationToken cancellationToken = default)
    {
        var lazy = _queues.GetOrAdd(queue, q => new Lazy<Task<QueueClient>>(() => CreateAsync(q, cancellationToken)));
        try
        {
            return await lazy.Value;
        }
        catch
        {
            _queues.TryRemove(new KeyValuePair<string, Lazy<Task<QueueClient>>>(queue, lazy));
            throw;
        }
    }

    private async Task<QueueClient> CreateAsync(string queue, CancellationToken cancellationToken)
    {
        var client = service.GetQueueClient(StorageName(queue));
        await client.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        return client;
    }
}
