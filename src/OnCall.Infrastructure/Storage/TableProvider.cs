using System.Collections.Concurrent;
using Azure.Data.Tables;
using Azure.Data.Tables.Models;
using Microsoft.Extensions.Options;

namespace OnCall.Infrastructure.Storage;

/// <summary>
/// Hands out table clients. <see cref="RunAsync{T}"/> runs an operation straight away and creates the table only when
/// the operation finds it missing, so neither start-up nor a first request spends a round trip on creating it.
/// </summary>
public sealed class TableProvider
{
    private readonly TableServiceClient _service;
    private readonly IOptions<StorageOptions> _options;
    private readonly CreatedOnFirstUse<TableClient> _tables;
    private readonly ConcurrentDictionary<string, TableClient> _clients = new(StringComparer.Ordinal);

    public TableProvider(TableServiceClient service, IOptions<StorageOptions> options)
    {
        _service = service;
        _options = options;
        _tables = new(CreateAsync);
    }

    /// <summary>
    /// The table's client, the table created on first use. Prefer <see cref="RunAsync{T}"/>, which also
    /// recreates a table deleted since and reports unreachable storage as <see cref="StorageUnavailableException"/>.
    /// </summary>
    public Task<TableClient> GetAsync(string name, CancellationToken cancellationToken = default) =>
        _tables.GetAsync(name, cancellationToken);

    /// <summary>
    /// Runs <paramref name="operation"/> on the table. When the table is missing (not created yet, or storage
    /// wiped or restarted empty) it is created on the spot and the operation runs once more; that is safe because
    /// an operation on a missing table changed nothing. Unreachable storage becomes <see cref="StorageUnavailableException"/>.
    /// </summary>
    public Task<T> RunAsync<T>(string name, Func<TableClient, Task<T>> operation, CancellationToken cancellationToken = default) =>
        HealingStorageCall.RunAsync(
            "Table",
            () => Task.FromResult(_clients.GetOrAdd(name, n => _service.GetTableClient(_options.Value.TableName(n)))),
            operation,
            exception => exception.Status == 404 && exception.ErrorCode == TableErrorCode.TableNotFound.ToString(),
            table => table.CreateIfNotExistsAsync(cancellationToken),
            cancellationToken);

    /// <inheritdoc cref="RunAsync{T}"/>
    public Task RunAsync(string name, Func<TableClient, Task> operation, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(operation);
        return RunAsync(
            name,
            async table =>
            {
                await operation(table);
                return true;
            },
            cancellationToken);
    }

    /// <summary>Checks that the table exists, creating it when it does not; for the health check.</summary>
    public Task EnsureExistsAsync(string name, CancellationToken cancellationToken = default) =>
        RunAsync(name, table => table.CreateIfNotExistsAsync(cancellationToken), cancellationToken);

    private async Task<TableClient> CreateAsync(string name, CancellationToken cancellationToken)
    {
        var client = _service.GetTableClient(_options.Value.TableName(name));
        await client.CreateIfNotExistsAsync(cancellationToken);
        return client;
    }
}
