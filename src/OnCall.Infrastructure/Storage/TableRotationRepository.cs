using Azure;
using Azure.Data.Tables;
using NodaTime;
using OnCall.Core.Errors;
using OnCall.Core.Ports;
using OnCall.Core.Rotations;

namespace OnCall.Infrastructure.Storage;

/// <summary>
/// One partition per rotation: the rotation row and its override rows, so adding an override and checking
/// the rotation's version happen in one transaction.
/// </summary>
public sealed class TableRotationRepository(TableProvider tables) : IRotationRepository
{
    public const string TableName = "Rotations";
    private const string RotationRow = "rotation";
    private const string OverridePrefix = "override-";

    /// <summary>
    /// Table Storage holds at most 64 KiB in a binary property, 1 MiB and 252 properties in an entity: the
    /// compressed document is split over at most 12 binary properties (768 KiB), leaving room for the rest.
    /// </summary>
    public const int MaxPartBytes = 64 * 1024;

    public const int MaxParts = 12;

    public const int MaxDocumentBytes = MaxPartBytes * MaxParts;

    public async Task<RotationAggregate?> FindAsync(string rotationId, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(TableName, cancellationToken);
        TableEntity? rotationRow = null;
        var overrides = new List<Override>();
        await foreach (var entity in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {rotationId}"), cancellationToken: cancellationToken))
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

    public async Task<IReadOnlyList<Rotation>> ListAsync(CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(TableName, cancellationToken);
        var rotations = new List<Rotation>();
        await foreach (var entity in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"RowKey eq {RotationRow}"), cancellationToken: cancellationToken))
        {
            rotations.Add(ToRotation(entity));
        }

        return rotations;
    }

    public async Task SaveAsync(Rotation rotation, string? etag, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(TableName, cancellationToken);
        var entity = ToEntity(rotation);
        await TableErrors.WriteOrConflictAsync(
            () => etag is null
                ? table.AddEntityAsync(entity, cancellationToken)
                : table.UpdateEntityAsync(entity, new ETag(etag), TableUpdateMode.Replace, cancellationToken),
            "Rotation",
            rotation.Id);
    }

    public async Task AddOverrideAsync(string rotationId, string etag, Override addition, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(TableName, cancellationToken);

        // Merging an empty change still checks and moves the rotation's ETag: a concurrent overlapping
        // override fails here instead of landing beside this one.
        var touch = new TableEntity(rotationId, RotationRow);
        var row = new TableEntity(rotationId, OverridePrefix + addition.Id)
        {
            ["Layer"] = addition.Layer,
            ["Start"] = addition.Start.ToDateTimeOffset(),
            ["End"] = addition.End.ToDateTimeOffset(),
            ["MemberName"] = addition.Member.Name,
            ["MemberEmail"] = addition.Member.Email,
            ["Reason"] = addition.Reason,
            ["CreatedAt"] = addition.CreatedAt.ToDateTimeOffset(),
        };
        await TableErrors.WriteOrConflictAsync(
            () => table.SubmitTransactionAsync(
                [
                    new TableTransactionAction(TableTransactionActionType.UpdateMerge, touch, new ETag(etag)),
                    new TableTransactionAction(TableTransactionActionType.Add, row),
                ],
                cancellationToken),
            "Rotation",
            rotationId);
    }

    public async Task<bool> RemoveOverrideAsync(string rotationId, string overrideId, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync(TableName, cancellationToken);
        var existing = await table.GetEntityIfExistsAsync<TableEntity>(rotationId, OverridePrefix + overrideId, cancellationToken: cancellationToken);
        if (!existing.HasValue || existing.Value is null)
        {
            return false;
        }

        await table.DeleteEntityAsync(existing.Value, existing.Value.ETag, cancellationToken);
        return true;
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
                "history",
                $"the rotation changed too often within the last {Rotation.HistoryRetention.Days} days to store ({size}); wait for older changes to age out.")
            : new TooLargeException(
                "layers",
                $"the rotation's layers and members are too large to store ({settingsAlone.Length / 1024} KiB compressed; at most {MaxDocumentBytes / 1024} KiB); use fewer people or shorter names.");
    }

    private static Rotation ToRotation(TableEntity entity)
    {
        var parts = entity.GetInt32("DocumentChunks") ?? 0;

        // Version 1 rows hold uncompressed JSON in string properties; version 2 rows GZip in binary ones.
        var document = entity.TryGetValue("Document0", out var first) && first is string
            ? RotationDocumentV1.Deserialize(string.Concat(Enumerable.Range(0, parts).Select(i => entity.GetString($"Document{i}")))).Upgrade()
            : RotationDocument.Decode(Concat(Enumerable.Range(0, parts).Select(i => entity.GetBinary($"Document{i}"))));
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
