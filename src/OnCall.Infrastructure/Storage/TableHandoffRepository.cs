using System.Globalization;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using NodaTime;
using NodaTime.Text;
using OnCall.Core.Handoffs;
using OnCall.Core.Notifications;
using OnCall.Core.Ports;
using OnCall.Core.Rotations;
using OnCall.Core.Serialization;

namespace OnCall.Infrastructure.Storage;

/// <summary>
/// One partition per due hour (<c>yyyyMMddHH</c> UTC), row key the handoff id. Finding the handoffs due in a window
/// reads only that window's partitions, so the timers' cost stays flat however much history accumulates; the id
/// starts with its due minute, so a lookup by id is a point read.
/// </summary>
public sealed class TableHandoffRepository(TableProvider tables) : IHandoffRepository
{
    public const string TableName = "Handoffs";

    private static readonly JsonSerializerOptions Json = new JsonSerializerOptions(JsonSerializerDefaults.Web).WithNodaTime();

    public static string PartitionOf(Instant due) =>
        due.InUtc().LocalDateTime.ToString("yyyyMMddHH", CultureInfo.InvariantCulture);

    public Task<bool> AddIfAbsentAsync(Handoff handoff, CancellationToken cancellationToken = default) =>
        tables.RunAsync(TableName, async table =>
        {
            try
            {
                await table.AddEntityAsync(ToEntity(handoff), cancellationToken);
                return true;
            }
            catch (RequestFailedException exception) when (exception.Status == 409)
            {
                return false;
            }
        }, cancellationToken);

    public Task<StoredHandoff?> FindAsync(string id, CancellationToken cancellationToken = default) =>
        tables.RunAsync(TableName, async table =>
        {
            if (Handoff.DueMinuteOf(id) is not { } due)
            {
                return null;
            }

            var found = await table.GetEntityIfExistsAsync<TableEntity>(PartitionOf(due), id, cancellationToken: cancellationToken);
            return found.HasValue && found.Value is not null ? ToStored(found.Value) : null;
        }, cancellationToken);

    public Task<IReadOnlyList<StoredHandoff>> ListDueAsync(
        Instant dueFrom,
        Instant dueBefore,
        string? rotationId = null,
        CancellationToken cancellationToken = default) =>
        tables.RunAsync(TableName, async table =>
        {
            var (fromKey, toKey) = (PartitionOf(dueFrom), PartitionOf(dueBefore));
            var (from, to) = (dueFrom.ToDateTimeOffset(), dueBefore.ToDateTimeOffset());
            var filter = rotationId is null
                ? TableClient.CreateQueryFilter($"PartitionKey ge {fromKey} and PartitionKey le {toKey} and Due ge {from} and Due lt {to}")
                : TableClient.CreateQueryFilter(
                    $"PartitionKey ge {fromKey} and PartitionKey le {toKey} and Due ge {from} and Due lt {to} and RotationId eq {
                        rotationId}");
            var result = new List<StoredHandoff>();
            await foreach (var entity in table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
            {
                result.Add(ToStored(entity));
            }

            return (IReadOnlyList<StoredHandoff>)result;
        }, cancellationToken);

    public Task DeleteAsync(string id, string etag, CancellationToken cancellationToken = default) =>
        tables.RunAsync(TableName, async table =>
        {
            if (Handoff.DueMinuteOf(id) is { } due)
            {
                await TableErrors.WriteOrConflictAsync(
                    () => table.DeleteEntityAsync(PartitionOf(due), id, new ETag(etag), cancellationToken),
                    "Handoff",
                    id);
            }
        }, cancellationToken);

    public Task<string> SaveAsync(Handoff handoff, string etag, CancellationToken cancellationToken = default) =>
        tables.RunAsync(TableName, async table =>
        {
            string? newETag = null;
            await TableErrors.WriteOrConflictAsync(
                async () => newETag = (await table.UpdateEntityAsync(
                    ToEntity(handoff),
                    new ETag(etag),
                    TableUpdateMode.Replace,
                    cancellationToken)).Headers.ETag?.ToString(),
                "Handoff",
                handoff.Id);
            return newETag ?? throw new InvalidOperationException("Table Storage returned no ETag.");
        }, cancellationToken);

    private static TableEntity ToEntity(Handoff handoff) => new(PartitionOf(handoff.Due), handoff.Id)
    {
        ["RotationId"] = handoff.RotationId,
        ["Layer"] = handoff.Layer,
        ["Status"] = handoff.Status.ToString(),
        ["Due"] = handoff.Due.ToDateTimeOffset(),
        ["Document"] = JsonSerializer.Serialize(HandoffDocument.From(handoff), Json),
    };

    private static StoredHandoff ToStored(TableEntity entity)
    {
        var document = JsonSerializer.Deserialize<HandoffDocument>(entity.GetString("Document"), Json)
            ?? throw new InvalidDataException($"Handoff '{entity.RowKey}' has no document.");
        return new StoredHandoff(document.ToHandoff(entity.RowKey), entity.ETag.ToString());
    }
}

/// <summary>The stored form of a handoff: plain strings, readable in Storage Explorer.</summary>
internal sealed record HandoffDocument(
    int Version,
    string RotationId,
    string Layer,
    MemberDocument Outgoing,
    MemberDocument Incoming,
    Instant Due,
    string Grace,
    string Status,
    Instant CreatedAt,
    Instant? AcknowledgedAt,
    string? AcknowledgedBy,
    string? Notes,
    Instant? MissedAt,
    IReadOnlyDictionary<string, NoticeDocument>? Notices,
    IReadOnlyList<string>? CarriedOver)
{
    public static HandoffDocument From(Handoff h) => new(
        1,
        h.RotationId,
        h.Layer,
        new(h.Outgoing.Name, h.Outgoing.Email),
        new(h.Incoming.Name, h.Incoming.Email),
        h.Due,
        DurationPattern.Roundtrip.Format(h.Grace),
        h.Status.ToString(),
        h.CreatedAt,
        h.AcknowledgedAt,
        h.AcknowledgedBy,
        h.Notes,
        h.MissedAt,
        h.Notices.ToDictionary(n => n.Key.ToString(), n => NoticeDocument.From(n.Value), StringComparer.Ordinal),
        h.CarriedOver);

    public Handoff ToHandoff(string id) => new(
        id,
        RotationId,
        Layer,
        new Member(Outgoing.Name, Outgoing.Email),
        new Member(Incoming.Name, Incoming.Email),
        Due,
        DurationPattern.Roundtrip.Parse(Grace).Value,
        Enum.Parse<HandoffStatus>(Status),
        CreatedAt)
    {
        AcknowledgedAt = AcknowledgedAt,
        AcknowledgedBy = AcknowledgedBy,
        Notes = Notes,
        MissedAt = MissedAt,
        Notices = (Notices ?? new Dictionary<string, NoticeDocument>()).ToDictionary(
            n => Enum.Parse<HandoffNoticeKind>(n.Key),
            n => n.Value.ToNotice()),
        CarriedOver = CarriedOver ?? [],
    };
}

internal sealed record DeliveryDocument(string Channel, string Status, string? Reason);

internal sealed record NoticeDocument(
    Instant ClaimedAt,
    int Attempts,
    Instant? RecordedAt,
    Instant? SentAt,
    IReadOnlyList<string> Retry,
    IReadOnlyList<DeliveryDocument> Channels)
{
    public static NoticeDocument From(HandoffNotice n) => new(
        n.ClaimedAt,
        n.Attempts,
        n.RecordedAt,
        n.SentAt,
        [.. n.Retry.Select(c => c.ToString())],
        [.. n.Channels.Select(c => new DeliveryDocument(c.Channel.ToString(), c.Status.ToString(), c.Reason))]);

    public HandoffNotice ToNotice() => new(
        ClaimedAt,
        Attempts,
        RecordedAt,
        SentAt,
        [.. Retry.Select(Enum.Parse<NotificationChannel>)],
        [.. Channels.Select(c => new ChannelDelivery(
            Enum.Parse<NotificationChannel>(c.Channel),
            Enum.Parse<DeliveryStatus>(c.Status),
            c.Reason))]);
}
