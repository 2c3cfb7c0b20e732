using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using NodaTime;
using OnCall.Core.Ports;
using OnCall.Core.Serialization;
using OnCall.Core.TimeOff;

namespace OnCall.Infrastructure.Storage;

/// <summary>
/// Table <see cref="TableName"/>: one partition per rotation, one row per coverage problem (row key = the notice id).
/// A check reads its rotation's partition, which holds only problems not yet ended: each check deletes the ended ones.
/// </summary>
public sealed class TableCoverageNoticeRepository(TableProvider tables) : ICoverageNoticeRepository
{
    public const string TableName = "CoverageNotices";

    private static readonly JsonSerializerOptions Json = new JsonSerializerOptions(JsonSerializerDefaults.Web).WithNodaTime();

    public Task<IReadOnlyList<StoredCoverageNotice>> ListAsync(string rotationId, CancellationToken cancellationToken = default) =>
        tables.RunAsync<IReadOnlyList<StoredCoverageNotice>>(TableName, async table =>
        {
            var result = new List<StoredCoverageNotice>();
            await foreach (var entity in table.QueryAsync<TableEntity>(
                TableClient.CreateQueryFilter($"PartitionKey eq {rotationId}"),
                cancellationToken: cancellationToken))
            {
                result.Add(ToStored(entity));
            }

            return result;
        }, cancellationToken);

    public Task<StoredCoverageNotice?> FindAsync(string rotationId, string id, CancellationToken cancellationToken = default) =>
        tables.RunAsync(TableName, async table =>
        {
            var found = await table.GetEntityIfExistsAsync<TableEntity>(rotationId, id, cancellationToken: cancellationToken);
            return found.HasValue && found.Value is not null ? ToStored(found.Value) : null;
        }, cancellationToken);

    public Task<string?> AddIfAbsentAsync(CoverageNotice notice, CancellationToken cancellationToken = default) =>
        tables.RunAsync(TableName, async table =>
        {
            try
            {
                return (await table.AddEntityAsync(ToEntity(notice), cancellationToken)).Headers.ETag?.ToString()
                    ?? throw new InvalidOperationException("Table Storage returned no ETag.");
            }
            catch (RequestFailedException exception) when (exception.Status == 409)
            {
                return null;
            }
        }, cancellationToken);

    public Task<string> SaveAsync(CoverageNotice notice, string etag, CancellationToken cancellationToken = default) =>
        tables.RunAsync(TableName, async table =>
        {
            string? newETag = null;
            await TableErrors.WriteOrConflictAsync(
                async () => newETag = (await table.UpdateEntityAsync(
                    ToEntity(notice),
                    new ETag(etag),
                    TableUpdateMode.Replace,
                    cancellationToken)).Headers.ETag?.ToString(),
                "Coverage notice",
                notice.Id);
            return newETag ?? throw new InvalidOperationException("Table Storage returned no ETag.");
        }, cancellationToken);

    public Task DeleteAsync(string rotationId, string id, string etag, CancellationToken cancellationToken = default) =>
        tables.RunAsync(TableName, table =>
            TableErrors.WriteOrConflictAsync(
                () => table.DeleteEntityAsync(rotationId, id, new ETag(etag), cancellationToken),
                "Coverage notice",
                id),
            cancellationToken);

    public Task DeleteAllAsync(string rotationId, CancellationToken cancellationToken = default) =>
        tables.RunAsync(TableName, async table =>
            await TableBatches.DeleteAsync(
                table,
                await TableBatches.KeysOfPartitionAsync(table, rotationId, cancellationToken),
                cancellationToken),
            cancellationToken);

    private static TableEntity ToEntity(CoverageNotice n) => new(n.RotationId, n.Id)
    {
        ["Kind"] = n.Problem.Kind.ToString(),
        ["Layer"] = n.Problem.Layer,
        ["Member"] = n.Problem.Member,
        ["Start"] = n.Problem.Start.ToDateTimeOffset(),
        ["End"] = n.Problem.End.ToDateTimeOffset(),
        ["WindowFrom"] = n.WindowFrom.ToDateTimeOffset(),
        ["WindowTo"] = n.WindowTo.ToDateTimeOffset(),
        ["Told"] = n.Told.ToString(),
        ["WasStart"] = n.WasStart?.ToDateTimeOffset(),
        ["WasEnd"] = n.WasEnd?.ToDateTimeOffset(),
        ["Delivery"] = JsonSerializer.Serialize(NoticeDocument.From(n.Delivery), Json),
    };

    private static StoredCoverageNotice ToStored(TableEntity e)
    {
        var delivery = JsonSerializer.Deserialize<NoticeDocument>(e.GetString("Delivery"), Json)
            ?? throw new InvalidDataException($"Coverage notice '{e.RowKey}' has no delivery.");
        var problem = new CoverageProblem(
            e.GetString("Layer") ?? "",
            At(e, "Start")!.Value,
            At(e, "End")!.Value,
            Enum.Parse<CoverageProblemKind>(e.GetString("Kind")),
            e.GetString("Member"));
        var notice = new CoverageNotice(
            e.PartitionKey,
            e.RowKey,
            problem,
            At(e, "WindowFrom")!.Value,
            At(e, "WindowTo")!.Value,
            Enum.Parse<CoverageNoticeKind>(e.GetString("Told")),
            delivery.ToNotice())
        {
            WasStart = At(e, "WasStart"),
            WasEnd = At(e, "WasEnd"),
        };
        return new StoredCoverageNotice(notice, e.ETag.ToString());
    }

    private static Instant? At(TableEntity e, string name) => e.GetDateTimeOffset(name) is { } at ? Instant.FromDateTimeOffset(at) : null;
}
