using System.Collections.Concurrent;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using Microsoft.Extensions.Options;

namespace OnCall.Infrastructure.Storage;

/// <summary>
/// Hands out queue clients by declared name (prefixed here). <see cref="RunAsync{T}"/> runs an operation straight away
/// and creates the queue only when the operation finds it missing: no round trip spent on creating it up front.
/// </summary>
public sealed class QueueProvider
{
    private readonly QueueServiceClient _service;
    private readonly IOptions<StorageOptions> _options;
    private readonly CreatedOnFirstUse<QueueClient> _queues;
    private readonly ConcurrentDictionary<string, QueueClient> _clients = new(StringComparer.Ordinal);

    public QueueProvider(QueueServiceClient service, IOptions<StorageOptions> options)
    {
        _service = service;
        _options = options;
        _queues = new(CreateAsync);
    }

    /// <summary>The storage name of a declared queue, e.g. <c>incidents</c> → <c>oncall-incidents</c>.</summary>
    public string StorageName(string queue) => _options.Value.ContainerName(queue);

    /// <summary>
    /// The queue's client, the queue created on first use. Prefer <see cref="RunAsync{T}"/>, which also
    /// recreates a queue deleted since and reports unreachable storage as <see cref="StorageUnavailableException"/>.
    /// </summary>
    public Task<QueueClient> GetAsync(string queue, CancellationToken cancellationToken = default) =>
        _queues.GetAsync(queue, cancellationToken);

    /// <summary>
    /// Runs <paramref name="operation"/> on the queue. When the queue is missing (not created yet, or storage
    /// wiped or restarted empty) it is created on the spot and the operation runs once more; that is safe because
    /// an operation on a missing queue changed nothing. Unreachable storage becomes <see cref="StorageUnavailableException"/>.
    /// </summary>
    public Task<T> RunAsync<T>(string queue, Func<QueueClient, Task<T>> operation, CancellationToken cancellationToken = default) =>
        HealingStorageCall.RunAsync(
            "Queue",
            () => Task.FromResult(_clients.GetOrAdd(queue, q => _service.GetQueueClient(StorageName(q)))),
            operation,
            exception => exception.Status == 404 && exception.ErrorCode == QueueErrorCode.QueueNotFound.ToString(),
            client => client.CreateIfNotExistsAsync(cancellationToken: cancellationToken),
            cancellationToken);

    private async Task<QueueClient> CreateAsync(string queue, CancellationToken cancellationToken)
    {
        var client = _service.GetQueueClient(StorageName(queue));
        await client.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        return client;
    }
}
