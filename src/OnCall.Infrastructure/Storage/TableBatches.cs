using Azure;
using Azure.Data.Tables;

namespace OnCall.Infrastructure.Storage;

internal static class TableBatches
{
    /// <summary>The most actions one table transaction may hold.</summary>
    public const int MaxBatch = 100;

    /// <summary>The most entities one query page returns.</summary>
    public const int MaxPage = 1000;

    /// <summary>
    /// One page of a query from <paramref name="continuation"/>, so a long read can be retried (and its table healed) a
    /// page at a time; <paramref name="select"/> null reads every property.
    /// </summary>
    public static async Task<(IReadOnlyList<TableEntity> Rows, string? Continuation)> PageAsync(
        TableClient table,
        string filter,
        string? continuation,
        IEnumerable<string>? select,
        CancellationToken cancellationToken = default)
    {
        var pages = table.QueryAsync<TableEntity>(filter, maxPerPage: MaxPage, select: select, cancellationToken: cancellationToken)
            .AsPages(continuation, MaxPage);
        await foreach (var page in pages)
        {
            return (page.Values, page.ContinuationToken);
        }

        return ([], null);
    }

    /// <summary>Every row's keys of one partition, read without their (possibly large) properties.</summary>
    public static async Task<List<TableEntity>> KeysOfPartitionAsync(
        TableClient table,
        string partitionKey,
        CancellationToken cancellationToken = default)
    {
        var rows = new List<TableEntity>();
        await foreach (var entity in table.QueryAsync<TableEntity>(
            TableClient.CreateQueryFilter($"PartitionKey eq {partitionKey}"),
            select: ["PartitionKey", "RowKey"],
            cancellationToken: cancellationToken))
        {
            rows.Add(entity);
        }

        return rows;
    }

    /// <summary>
    /// Deletes rows in transactions of one partition each, in the order given. ETag "*": these rows are going
    /// whatever their version.
    /// </summary>
    public static async Task DeleteAsync(TableClient table, IEnumerable<TableEntity> rows, CancellationToken cancellationToken = default)
    {
        foreach (var partition in rows.GroupBy(e => e.PartitionKey))
        {
            foreach (var batch in partition.Chunk(MaxBatch))
            {
                await table.SubmitTransactionAsync(
                    batch.Select(e => new TableTransactionAction(TableTransactionActionType.Delete, e, ETag.All)),
                    cancellationToken);
            }
        }
    }
}
