using Azure.Data.Tables;
using NodaTime;
using OnCall.Core.Ports;
using OnCall.Core.TimeOff;

namespace OnCall.Infrastructure.Storage;

/// <summary>Table <see cref="TableName"/>: one partition per rotation, one row per time off entry (row key = its id).</summary>
public sealed class TableTimeOffRepository(TableProvider tables) : ITimeOffRepository
{
    public const string TableName = "TimeOff";

    public Task AddAsync(string rotationId, TimeOffEntry entry, CancellationToken cancellationToken = default) =>
        tables.RunAsync(TableName, async table =>
        {
            ArgumentNullException.ThrowIfNull(entry);
            var row = new TableEntity(rotationId, entry.Id)
            {
                ["Member"] = entry.Member,
                ["Start"] = entry.Start.ToDateTimeOffset(),
                ["End"] = entry.End.ToDateTimeOffset(),
                ["Reason"] = entry.Reason,
                ["CreatedAt"] = entry.CreatedAt.ToDateTimeOffset(),
            };
            await TableErrors.WriteOrConflictAsync(() => table.AddEntityAsync(row, cancellationToken), "Time off", entry.Id);
        }, cancellationToken);

    public Task<IReadOnlyList<TimeOffEntry>> ListAsync(
        string rotationId,
        Instant? rangeStart = null,
        Instant? rangeEnd = null,
        CancellationToken cancellationToken = default) =>
        tables.RunAsync<IReadOnlyList<TimeOffEntry>>(TableName, async table =>
        {
            var filter = rangeStart is { } f && rangeEnd is { } t
                ? TableClient.CreateQueryFilter(
                    $"PartitionKey eq {rotationId} and Start lt {t.ToDateTimeOffset()} and End gt {f.ToDateTimeOffset()}")
                : TableClient.CreateQueryFilter($"PartitionKey eq {rotationId}");
            var entries = new List<TimeOffEntry>();
            await foreach (var entity in table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
            {
                entries.Add(ToEntry(entity));
            }

            return [.. entries.OrderBy(e => e.Start).ThenBy(e => e.Id, StringComparer.Ordinal)];
        }, cancellationToken);

    public Task<bool> RemoveAsync(string rotationId, string timeOffId, CancellationToken cancellationToken = default) =>
        tables.RunAsync(TableName, async table =>
        {
            var existing = await table.GetEntityIfExistsAsync<TableEntity>(
                rotationId,
                timeOffId,
                select: ["PartitionKey", "RowKey"],
                cancellationToken: cancellationToken);
            if (!existing.HasValue || existing.Value is null)
            {
                return false;
            }

            await table.DeleteEntityAsync(existing.Value, existing.Value.ETag, cancellationToken);
            return true;
        }, cancellationToken);

    public Task DeleteAllAsync(string rotationId, CancellationToken cancellationToken = default) =>
        tables.RunAsync(TableName, async table =>
            await TableBatches.DeleteAsync(
                table,
                await TableBatches.KeysOfPartitionAsync(table, rotationId, cancellationToken),
                cancellationToken),
            cancellationToken);

    private static TimeOffEntry ToEntry(TableEntity e) => new(
        e.RowKey,
        e.GetString("Member") ?? "",
        Instant.FromDateTimeOffset(e.GetDateTimeOffset("Start")!.Value),
        Instant.FromDateTimeOffset(e.GetDateTimeOffset("End")!.Value),
        e.GetString("Reason"),
        Instant.FromDateTimeOffset(e.GetDateTimeOffset("CreatedAt")!.Value));
}
