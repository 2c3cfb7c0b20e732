using Azure;
using Azure.Data.Tables;
using Azure.Data.Tables.Models;
using Microsoft.Extensions.Options;

namespace OnCall.Infrastructure.Storage;

/// <summary>Hands out table clients, creating each table once on first use rather than at start-up.</summary>
public sealed class TableProvider
{
    private readonly TableServiceClient _service;
    private readonly IOptions<StorageOptions> _options;
    private readonly CreatedOnFirstUse<TableClient> _tables;

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
    /// Runs <paramref name="operation"/> on the table. When the table has gone (storage wiped or restarted
    /// empty) it is recreated on the spot and the operation runs once more; that is safe because an operation
    /// on a missing table changed nothing. Unreachable storage becomes <see cref="StorageUnavailableException"/>.
    /// </summary>
    public async Task<T> RunAsync<T>(string name, Func<TableClient, Task<T>> operation, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(operation);
        try
        {
            var table = await GetAsync(name, cancellationToken);
            try
            {
                return await operation(table);
            }
            catch (RequestFailedException exception) when (IsTableNotFound(exception))
            {
                await table.CreateIfNotExistsAsync(cancellationToken);
                try
                {
                    return await operation(table);
                }
                catch (RequestFailedException again) when (IsTableNotFound(again))
                {
                    // Still missing right after creating it (a real account refuses to recreate a table for a
                    // while after deleting it): worth retrying later, not a bug.
                    throw new StorageUnavailableException($"Table '{table.Name}' is being recreated.", again);
                }
            }
        }
        catch (Exception exception) when (exception is not StorageUnavailableException && StorageUnavailableException.IsStorageFault(exception, cancellationToken))
        {
            throw new StorageUnavailableException($"Table Storage did not answer ({exception.Message})", exception);
        }
    }

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

    private static bool IsTableNotFound(RequestFailedException exception) =>
        exception.Status == 404 && exception.ErrorCode == TableErrorCode.TableNotFound.ToString();

    private async Task<TableClient> CreateAsync(string name, CancellationToken cancellationToken)
    {
        var client = _service.GetTableClient(_options.Value.TableName(name));
        await client.CreateIfNotExistsAsync(cancellationToken);
        return client;
    }
}
