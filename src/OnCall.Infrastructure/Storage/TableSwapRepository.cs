using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using NodaTime;
using OnCall.Core.Ports;
using OnCall.Core.Rotations;
using OnCall.Core.Serialization;
using OnCall.Core.Swaps;

namespace OnCall.Infrastructure.Storage;

/// <summary>
/// Swap requests live in the rotations table, in their rotation's partition (row key <c>swap-{32 hex digits}</c>), so a
/// request is taken and its override added in one transaction that also checks the rotation's version.
/// </summary>
public sealed class TableSwapRepository(TableProvider tables) : ISwapRepository
{
    private const string TableName = TableRotationRepository.TableName;

    // '.' follows '-': every row key starting "swap-" sorts in [SwapPrefix, AfterSwaps).
    private const string AfterSwaps = "swap.";

    private static readonly JsonSerializerOptions Json = new JsonSerializerOptions(JsonSerializerDefaults.Web).WithNodaTime();

    public Task AddAsync(SwapRequest swap, string rotationETag, CancellationToken cancellationToken = default) =>
        tables.RunAsync(TableName, table => TableErrors.WriteOrConflictAsync(
            () => table.SubmitTransactionAsync(
                [
                    TableRotationRepository.VersionCheck(swap.RotationId, rotationETag),
                    new TableTransactionAction(TableTransactionActionType.Add, ToEntity(swap)),
                ],
                cancellationToken),
            "Rotation",
            swap.RotationId), cancellationToken);

    public Task<StoredSwap?> FindAsync(string swapId, CancellationToken cancellationToken = default) =>
        tables.RunAsync(TableName, async table =>
        {
            var found = await table.GetEntityIfExistsAsync<TableEntity>(
                SwapService.RotationOf(swapId),
                RowKey(swapId),
                cancellationToken: cancellationToken);
            return found.HasValue && found.Value is { } entity ? new StoredSwap(ToSwap(entity), entity.ETag.ToString()) : null;
        }, cancellationToken);

    public Task<IReadOnlyList<StoredSwap>> ListAsync(string? rotationId = null, CancellationToken cancellationToken = default) =>
        tables.RunAsync<IReadOnlyList<StoredSwap>>(TableName, async table =>
        {
            var filter = rotationId is null
                ? TableClient.CreateQueryFilter($"RowKey ge {TableRotationRepository.SwapPrefix} and RowKey lt {AfterSwaps}")
                : TableClient.CreateQueryFilter(
                    $"PartitionKey eq {rotationId} and RowKey ge {TableRotationRepository.SwapPrefix} and RowKey lt {AfterSwaps}");
            var found = new List<StoredSwap>();
            await foreach (var entity in table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
            {
                found.Add(new StoredSwap(ToSwap(entity), entity.ETag.ToString()));
            }

            return [.. found.OrderBy(s => s.Swap.Start).ThenBy(s => s.Swap.Id, StringComparer.Ordinal)];
        }, cancellationToken);

    public Task<string> SaveAsync(SwapRequest swap, string etag, CancellationToken cancellationToken = default) =>
        tables.RunAsync(TableName, async table =>
        {
            Response? response = null;
            await TableErrors.WriteOrConflictAsync(
                async () =>
                    response = await table.UpdateEntityAsync(ToEntity(swap), new ETag(etag), TableUpdateMode.Replace, cancellationToken),
                "Swap request",
                swap.Id);
            return response!.Headers.ETag?.ToString() ?? "";
        }, cancellationToken);

    public Task AcceptAsync(
        SwapRequest accepted,
        string swapETag,
        Override addition,
        string rotationETag,
        CancellationToken cancellationToken = default) =>
        tables.RunAsync(TableName, table => TableErrors.WriteOrConflictAsync(
            () => table.SubmitTransactionAsync(
                [
                    TableRotationRepository.VersionCheck(accepted.RotationId, rotationETag),
                    new TableTransactionAction(TableTransactionActionType.UpdateReplace, ToEntity(accepted), new ETag(swapETag)),
                    new TableTransactionAction(
                        TableTransactionActionType.Add,
                        TableRotationRepository.OverrideRow(accepted.RotationId, addition)),
                ],
                cancellationToken),
            "Swap request",
            accepted.Id), cancellationToken);

    private static string RowKey(string swapId) => TableRotationRepository.SwapPrefix + SwapService.LocalIdOf(swapId);

    private static TableEntity ToEntity(SwapRequest swap) => new(swap.RotationId, RowKey(swap.Id))
    {
        ["Layer"] = swap.Layer,
        ["Start"] = swap.Start.ToDateTimeOffset(),
        ["End"] = swap.End.ToDateTimeOffset(),
        ["RequesterName"] = swap.Requester.Name,
        ["RequesterEmail"] = swap.Requester.Email,
        ["OfferedTo"] = JsonSerializer.Serialize(swap.OfferedTo, Json),
        ["Status"] = swap.Status.ToString(),
        ["CreatedAt"] = swap.CreatedAt.ToDateTimeOffset(),
        ["TakenByName"] = swap.TakenBy?.Name,
        ["TakenByEmail"] = swap.TakenBy?.Email,
        ["TakenAt"] = swap.TakenAt?.ToDateTimeOffset(),
        ["DecidedBy"] = swap.DecidedBy,
        ["DecidedAt"] = swap.DecidedAt?.ToDateTimeOffset(),
        ["OverrideId"] = swap.OverrideId,
    };

    private static SwapRequest ToSwap(TableEntity e) => new(
        $"{e.PartitionKey}.{e.RowKey[TableRotationRepository.SwapPrefix.Length..]}",
        e.PartitionKey,
        e.GetString("Layer"),
        Instant.FromDateTimeOffset(e.GetDateTimeOffset("Start")!.Value),
        Instant.FromDateTimeOffset(e.GetDateTimeOffset("End")!.Value),
        new Member(e.GetString("RequesterName"), e.GetString("RequesterEmail")),
        JsonSerializer.Deserialize<List<Member>>(e.GetString("OfferedTo") ?? "[]", Json) ?? [],
        Enum.Parse<SwapStatus>(e.GetString("Status")),
        Instant.FromDateTimeOffset(e.GetDateTimeOffset("CreatedAt")!.Value))
    {
        TakenBy = e.GetString("TakenByEmail") is { } email ? new Member(e.GetString("TakenByName") ?? email, email) : null,
        TakenAt = e.GetDateTimeOffset("TakenAt") is { } taken ? Instant.FromDateTimeOffset(taken) : null,
        DecidedBy = e.GetString("DecidedBy"),
        DecidedAt = e.GetDateTimeOffset("DecidedAt") is { } decided ? Instant.FromDateTimeOffset(decided) : null,
        OverrideId = e.GetString("OverrideId"),
    };
}
