using System.Collections.Concurrent;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;

namespace OnCall.Infrastructure.Storage;

/// <summary>Hands out table clients, creating each table once on first use rather than at start-up.</summary>
public sealed class TableProvider(TableServiceClient service, IOptions<StorageOptions> options)
{
    private readonly ConcurrentDictionary<string, Lazy<Task<TableClient>>> _tables = new(StringComparer.Ordinal);

    public async Task<TableClient> GetAsync(string name, CancellationToken cancellationToken = default)
    {
        var lazy = _tables.GetOrAdd(name, n => new Lazy<Task<TableClient>>(() => CreateAsync(n, cancellationToken)));
        try
        {
            return await lazy.Value;
        }
        catch
        {
            // Storage may come up later (Azurite starting): let the next call try again.
            _tables.TryRemove(new KeyValuePair<string, Lazy<Task<TableClient>>>(name, lazy));
            throw;
        }
    }

    private async Task<TableClient> CreateAsync(string name, CancellationToken cancellationToken)
    {
        var client = service.GetTableClient(options.Value.TableName(name));
        await client.CreateIfNotExistsAsync(cancellationToken);
        return client;
    }
}
