using Azure.Data.Tables;
using Microsoft.Extensions.Options;

namespace OnCall.Infrastructure.Storage;

/// <summary>Hands out table clients, creating each table once on first use rather than at start-up.</summary>
public sealed class TableProvider(TableServiceClient service, IOptions<StorageOptions> options)
{
    private readonly CreatedOnFirstUse<TableClient> _tables = new();

    public Task<TableClient> GetAsync(string name, CancellationToken cancellationToken = default) =>
        _tables.GetAsync(name, async n =>
        {
            var client = service.GetTableClient(options.Value.TableName(n));
            await client.CreateIfNotExistsAsync(cancellationToken);
            return client;
        });
}
