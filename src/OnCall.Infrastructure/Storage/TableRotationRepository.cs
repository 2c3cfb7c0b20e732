using Azure;
using Azure.Data.Tables;
using NodaTime;
using OnCall.Core.Errors;
using OnCall.Core.Ports;
using OnCall.Core.Rotations;

namespace OnCall.Infrastructure.Storage;

/// <summary>
/// One partition per rotation: the rotation row, its override rows and its swap request rows (see
/// <see cref="TableSwapRepository"/>), so adding an override, taking a swap and checking the rotation's version happen
/// in one transaction.
/// </summary>
public sealed class TableRotationRepository(TableProvider tables) : IRotationRepository
{
    public const string TableName = "Rotations";
    internal const string RotationRow = "rotation";
    private const string OverridePrefix = "override-";

    /// <summary>Swap rows sort after the rotation row, so reads of a rotation and its overrides stop before them.</summary>
    internal const string SwapPrefix = "swap-";

    /// <summary>
    /// Table Storage holds at most 64 KiB in a binary property, 1 MiB and 252 properties in an entity: the
    /// compressed document is split over at most 12 binary properties (768 KiB), leaving room for the rest.
    /// </summary>
    public const int MaxPartBytes = 64 * 1024;

    public const int MaxParts = 12;

    public const int MaxDocumentBytes = MaxPartBytes * MaxParts;

    public Task<RotationAggregate?> FindAsync(string rotationId, CancellationToken cancellationToken = default) =>
        tables.RunAsync(TableName, table => FindAsync(table, rotationId, cancellationToken), cancellationToken);

    private static async Task<RotationAggregate?> FindAsync(TableClient table, string rotationId, CancellationToken cancellationToken)
    {
        TableEntity? rotationRow = null;
        var overrides = new List<Override>();
        await foreach (var entity in table.QueryAsync<TableEntity>(
            TableClient.CreateQueryFilter($"PartitionKey eq {rotationId} and RowKey lt {SwapPrefix}"),
            cancellationToken: cancellationToken))
        {
            if (entity.RowKey == RotationRow)
            {
                rotationRow = entity;
            }
            else if (entity.RowKey.StartsWith(OverridePrefix, StringComparison.Ordinal))
            {
                overrides.Add(ToOverride(entity));
            }
        }

        return rotationRow is null ? null : new RotationAggregate(ToRotation(rotationRow), overrides, rotationRow.ETag.ToString());
    }

    public Task<IReadOnlyList<RotationAggregate>> ListAsync(CancellationToken cancellationToken = default) =>
        tables.RunAsync(TableName, table => ListAsync(table, cancellationToken), cancellationToken);

    private static async Task<IReadOnlyList<RotationAggregate>> ListAsync(TableClient table, CancellationToken cancellationToken)
    {
        var rows = new Dictionary<string, (TableEntity? Rotation, List<Override> Overrides)>(StringComparer.Ordinal);
        await foreach (var entity in table.QueryAsync<TableEntity>(
            TableClient.CreateQueryFilter($"RowKey lt {SwapPrefix}"),
            cancellationToken: cancellationToken))
        {
            var partition = rows.TryGetValue(entity.PartitionKey, out var found) ? found : (null, []);
            if (entity.RowKey == RotationRow)
            {
                partition.Rotation = entity;
            }
            else if (entity.RowKey.StartsWith(OverridePrefix, StringComparison.Ordinal))
            {
                partition.Overrides.Add(ToOverride(entity));
            }

            rows[entity.PartitionKey] = partition;
        }

        return [.. rows.Values
            .Where(r => r.Rotation is not null)
            .Select(r => new RotationAggregate(ToRotation(r.Rotation!), r.Overrides, r.Rotation!.ETag.ToString()))
            .OrderBy(a => a.Rotation.Id, StringComparer.Ordinal)];
    }

    public Task SaveAsync(Rotation rotation, string? etag, CancellationToken cancellationToken = default) =>
        tables.RunAsync(TableName, table => SaveAsync(table, rotation, etag, cancellationToken), cancellationToken);

    private static async Task SaveAsync(TableClient table, Rotation rotation, string? etag, CancellationToken cancellationToken)
    {
        var entity = ToEntity(rotation);
        await TableErrors.WriteOrConflictAsync(
            () => etag is null
                ? table.AddEntityAsync(entity, cancellationToken)
                : table.UpdateEntityAsync(entity, new ETag(etag), TableUpdateMode.Replace, cancellationToken),
            "Rotation",
            rotation.Id);
    }

    public Task AddOverrideAsync(string rotationId, string etag, Override addition, CancellationToken cancellationToken = default) =>
        tables.RunAsync(TableName, table => AddOverrideAsync(table, rotationId, etag, addition, cancellationToken), cancellationToken);

    private static async Task AddOverrideAsync(
        TableClient table,
        string rotationId,
        string etag,
        Override addition,
        CancellationToken cancellationToken)
    {
        // Merging an empty change still checks and moves the rotation's ETag: a concurrent overlapping
        // override fails here instead of landing beside this one.
        await TableErrors.WriteOrConflictAsync(
            () => table.SubmitTransactionAsync(
                [
                    VersionCheck(rotationId, etag),
                    new TableTransactionAction(TableTransactionActionType.Add, OverrideRow(rotationId, addition)),
                ],
                cancellationToken),
            "Rotation",
            rotationId);
    }

    /// <summary>
    /// A transaction step that changes nothing but fails unless the rotation is still at <paramref name="etag"/>, and
    /// moves its version: merging an empty change.
    /// </summary>
    internal static TableTransactionAction VersionCheck(string rotationId, string etag) =>
        new(TableTransactionActionType.UpdateMerge, new TableEntity(rotationId, RotationRow), new ETag(etag));

    internal static TableEntity OverrideRow(string rotationId, Override addition) => new(rotationId, OverridePrefix + addition.Id)
    {
        ["Layer"] = addition.Layer,
        ["Start"] = addition.Start.ToDateTimeOffset(),
        ["End"] = addition.End.ToDateTimeOffset(),
        ["MemberName"] = addition.Member.Name,
        ["MemberEmail"] = addition.Member.Email,
        ["Reason"] = addition.Reason,
        ["CreatedAt"] = addition.CreatedAt.ToDateTimeOffset(),
    };

    public Task<bool> RemoveOverrideAsync(string rotationId, string overrideId, CancellationToken cancellationToken = default) =>
        tables.RunAsync(TableName, table => RemoveOverrideAsync(table, rotationId, overrideId, cancellationToken), cancellationToken);

    private static async Task<bool> RemoveOverrideAsync(
        TableClient table,
        string rotationId,
        string overrideId,
        CancellationToken cancellationToken)
    {
        var existing = await table.GetEntityIfExistsAsync<TableEntity>(
            rotationId,
            OverridePrefix + overrideId,
            cancellationToken: cancellationToken);
        if (!existing.HasValue || existing.Value is null)
        {
            return false;
        }

        await table.DeleteEntityAsync(existing.Value, existing.Value.ETag, cancellationToken);
        return true;
    }

    public Task<bool> DeleteAsync(string rotationId, CancellationToken cancellationToken = default) =>
        tables.RunAsync(TableName, table => DeleteAsync(table, rotationId, cancellationToken), cancellationToken);

    private static async Task<bool> DeleteAsync(TableClient table, string rotationId, CancellationToken cancellationToken)
    {
        var rows = await TableBatches.KeysOfPartitionAsync(table, rotationId, cancellationToken);

        // Overrides first, the rotation row last: a delete cut short leaves a rotation that a repeated DELETE finishes.
        await TableBatches.DeleteAsync(table, rows.Where(r => r.RowKey != RotationRow), cancellationToken);
        await TableBatches.DeleteAsync(table, rows.Where(r => r.RowKey == RotationRow), cancellationToken);
        return rows.Exists(r => r.RowKey == RotationRow);
    }

    private static TableEntity ToEntity(Rotation rotation)
    {
        var document = RotationDocument.From(rotation).Encode();
        if (document.Length > MaxDocumentBytes)
        {
            throw TooLarge(rotation, document.Length);
        }

        var parts = document.Chunk(MaxPartBytes).ToList();
        var entity = new TableEntity(rotation.Id, RotationRow)
        {
            ["FeedTokenHash"] = rotation.FeedTokenHash,
            ["CreatedAt"] = rotation.CreatedAt.ToDateTimeOffset(),
            ["UpdatedAt"] = rotation.UpdatedAt.ToDateTimeOffset(),
            ["DocumentChunks"] = parts.Count,
        };
        for (var i = 0; i < parts.Count; i++)
        {
            entity[$"Document{i}"] = parts[i];
        }

        return entity;
    }

    /// <summary>Names what is too large: the history when the current settings alone would fit, else the layers.</summary>
    private static TooLargeException TooLarge(Rotation rotation, int length)
    {
        var size = $"{length / 1024} KiB compressed; at most {MaxDocumentBytes / 1024} KiB";
        var settingsAlone = RotationDocument.From(Rotation.Create(rotation.Settings, rotation.FeedTokenHash, rotation.CreatedAt)).Encode();
        return settingsAlone.Length <= MaxDocumentBytes
            ? new TooLargeException(
                "Rotation",
                "history",
                $"the rotation changed too often within the last {Rotation.HistoryRetention.Days} days to store ({size}); "
                + "wait for older changes to age out.")
            : new TooLargeException(
                "Rotation",
                "layers",
                $"the rotation's layers and members are too large to store ({settingsAlone.Length / 1024} KiB compressed; "
                + $"at most {MaxDocumentBytes / 1024} KiB); use fewer people or shorter names.");
    }

    private static Rotation ToRotation(TableEntity entity)
    {
        var parts = entity.GetInt32("DocumentChunks") ?? 0;

        var document = RotationDocument.Decode(Concat(Enumerable.Range(0, parts).Select(i => entity.GetBinary($"Document{i}"))));
        return document.ToRotation(
            entity.PartitionKey,
            entity.GetString("FeedTokenHash"),
            Instant.FromDateTimeOffset(entity.GetDateTimeOffset("CreatedAt")!.Value),
            Instant.FromDateTimeOffset(entity.GetDateTimeOffset("UpdatedAt")!.Value));
    }

    private static byte[] Concat(IEnumerable<byte[]> parts)
    {
        using var buffer = new MemoryStream();
        foreach (var part in parts)
        {
            buffer.Write(part);
        }

        return buffer.ToArray();
    }

    private static Override ToOverride(TableEntity entity) => new(
        entity.RowKey[OverridePrefix.Length..],
        entity.GetString("Layer"),
        Instant.FromDateTimeOffset(entity.GetDateTimeOffset("Start")!.Value),
        Instant.FromDateTimeOffset(entity.GetDateTimeOffset("End")!.Value),
        new Member(entity.GetString("MemberName"), entity.GetString("MemberEmail")),
        entity.GetString("Reason"),
        Instant.FromDateTimeOffset(entity.GetDateTimeOffset("CreatedAt")!.Value));
}
