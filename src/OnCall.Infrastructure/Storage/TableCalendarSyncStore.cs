using System.Runtime.CompilerServices;
using Azure;
using Azure.Data.Tables;
using NodaTime;
using OnCall.Core.CalendarSync;
using OnCall.Core.Ports;

namespace OnCall.Infrastructure.Storage;

/// <summary>
/// The Google sync's state: table <see cref="TableName"/> holds one row per rotation (partition = rotation, row
/// <see cref="StateRow"/>) with the calendar, list token and last run; table <see cref="EventsTableName"/> one row per
/// event of ours (partition = rotation, row = event id) with its content hash, whether it is deleted, and its end.
/// Apart, so listing every rotation's state does not scan the events.
/// </summary>
public sealed class TableCalendarSyncStore(TableProvider tables) : ICalendarSyncStore
{
    public const string TableName = "CalendarSync";
    public const string EventsTableName = "CalendarSyncEvents";
    public const string StateRow = "state";

    public Task<CalendarSyncState?> GetAsync(string rotationId, CancellationToken cancellationToken = default) =>
        tables.RunAsync(TableName, async table =>
        {
            var row = await table.GetEntityIfExistsAsync<TableEntity>(rotationId, StateRow, cancellationToken: cancellationToken);
            return row.HasValue && row.Value is { } entity ? ToState(entity) : null;
        }, cancellationToken);

    public Task<IReadOnlyList<CalendarSyncState>> ListAsync(CancellationToken cancellationToken = default) =>
        tables.RunAsync<IReadOnlyList<CalendarSyncState>>(TableName, async table =>
        {
            var states = new List<CalendarSyncState>();
            var filter = TableClient.CreateQueryFilter($"RowKey eq {StateRow}");
            await foreach (var entity in table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
            {
                states.Add(ToState(entity));
            }

            return states;
        }, cancellationToken);

    public Task<CalendarSyncState> SaveAsync(CalendarSyncState state, CancellationToken cancellationToken = default) =>
        tables.RunAsync(TableName, async table =>
        {
            ArgumentNullException.ThrowIfNull(state);
            var entity = new TableEntity(state.RotationId, StateRow)
            {
                ["CalendarId"] = state.CalendarId,
                ["SyncToken"] = state.SyncToken,
                ["LastSyncAt"] = state.LastSyncAt?.ToDateTimeOffset(),
                ["Inserted"] = state.Counts.Inserted,
                ["Patched"] = state.Counts.Patched,
                ["Deleted"] = state.Counts.Deleted,
                ["Unchanged"] = state.Counts.Unchanged,
                ["Requests"] = state.Requests,
                ["LastError"] = state.LastError,
            };
            Response? response = null;
            await TableErrors.WriteOrConflictAsync(
                async () => response = state.ETag is null
                    ? (await table.AddEntityAsync(entity, cancellationToken))
                    : await table.UpdateEntityAsync(entity, new ETag(state.ETag), TableUpdateMode.Replace, cancellationToken),
                "Calendar sync",
                state.RotationId);
            return state with { ETag = response!.Headers.ETag?.ToString() };
        }, cancellationToken);

    public async IAsyncEnumerable<MirroredEvent> ReadEventsAsync(
        string rotationId, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {rotationId}");
        string? continuation = null;
        do
        {
            var page = await tables.RunAsync(
                EventsTableName,
                table => TableBatches.PageAsync(table, filter, continuation, ["RowKey", "Hash", "Cancelled", "End"], cancellationToken),
                cancellationToken);
            foreach (var entity in page.Rows)
            {
                yield return new MirroredEvent(
                    entity.RowKey,
                    entity.GetString("Hash") ?? "",
                    entity.GetBoolean("Cancelled") ?? false,
                    Instant.FromDateTimeOffset(entity.GetDateTimeOffset("End")!.Value));
            }

            continuation = page.Continuation;
        }
        while (continuation is not null);
    }

    public Task SaveEventsAsync(
        string rotationId, IReadOnlyCollection<MirroredEvent> events, CancellationToken cancellationToken = default) =>
        tables.RunAsync(EventsTableName, async table =>
        {
            ArgumentNullException.ThrowIfNull(events);

            // A picture of Google's side, not a decision: the newest reading wins, so no ETags here.
            foreach (var batch in events.Chunk(TableBatches.MaxBatch))
            {
                await table.SubmitTransactionAsync(
                    batch.Select(e => new TableTransactionAction(
                        TableTransactionActionType.UpsertReplace,
                        new TableEntity(rotationId, e.Id)
                        {
                            ["Hash"] = e.Hash,
                            ["Cancelled"] = e.Cancelled,
                            ["End"] = e.End.ToDateTimeOffset(),
                        })),
                    cancellationToken);
            }
        }, cancellationToken);

    public Task ForgetEventsAsync(string rotationId, IReadOnlyCollection<string> eventIds, CancellationToken cancellationToken = default) =>
        tables.RunAsync(EventsTableName, async table =>
        {
            ArgumentNullException.ThrowIfNull(eventIds);
            try
            {
                await TableBatches.DeleteAsync(table, eventIds.Select(id => new TableEntity(rotationId, id)), cancellationToken);
            }
            catch (TableTransactionFailedException e) when (e.Status == 404)
            {
                // Another run forgot one first; the rest are forgotten on the next run, which no longer loads that one.
            }
        }, cancellationToken);

    public Task ClearEventsAsync(string rotationId, CancellationToken cancellationToken = default) =>
        tables.RunAsync(EventsTableName, async table =>
            await TableBatches.DeleteAsync(
                table, await TableBatches.KeysOfPartitionAsync(table, rotationId, cancellationToken), cancellationToken),
            cancellationToken);

    public async Task DeleteAsync(string rotationId, CancellationToken cancellationToken = default)
    {
        // Events first, the state last: a delete cut short leaves a state the next run finds and finishes.
        await ClearEventsAsync(rotationId, cancellationToken);
        await tables.RunAsync(TableName, async table =>
            await TableBatches.DeleteAsync(
                table, await TableBatches.KeysOfPartitionAsync(table, rotationId, cancellationToken), cancellationToken),
            cancellationToken);
    }

    private static CalendarSyncState ToState(TableEntity e) => new(
        e.PartitionKey,
        e.GetString("CalendarId"),
        e.GetString("SyncToken"),
        e.GetDateTimeOffset("LastSyncAt") is { } at ? Instant.FromDateTimeOffset(at) : null,
        new SyncCounts(e.GetInt32("Inserted") ?? 0, e.GetInt32("Patched") ?? 0, e.GetInt32("Deleted") ?? 0, e.GetInt32("Unchanged") ?? 0),
        e.GetInt32("Requests") ?? 0,
        e.GetString("LastError"),
        e.ETag.ToString());
}
