using System.Globalization;
using System.Security.Cryptography;
using System.Text.Encodings.Web;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using NodaTime;
using OnCall.Core.Errors;
using OnCall.Core.Incidents;
using OnCall.Core.Ports;
using OnCall.Core.Rotations;
using OnCall.Core.Serialization;

namespace OnCall.Infrastructure.Storage;

/// <summary>
/// One partition per (source, dedup key), named by its hash, holding: the <c>open</c> row (the id of the open
/// incident; inserting it is the atomic insert-if-absent that dedups), the <c>last</c> row (the id of the incident
/// closed last), every incident of that key (row key = id), and their timeline rows (<c>{id}~t~{ticks}~{random}</c>,
/// insert-only, so duplicates never contend for the incident's ETag). Opening and closing change the incident and the
/// <c>open</c> row in one entity-group transaction; closing moves the id to the <c>last</c> row in the same one.
/// <para>
/// The partition <see cref="ActivePartition"/> indexes the incidents not yet closed (row key = id), so listing them
/// reads only them, not the history. A marker is written with the incident (in parallel; the webhook answers after
/// both) and removed after it closes; a reader drops markers whose incident is closed or never came to be.
/// </para>
/// </summary>
public sealed class TableIncidentRepository(TableProvider tables, TimeProvider timeProvider) : IIncidentRepository
{
    public const string TableName = "Incidents";

    /// <summary>Not a key hash, so no alert key's partition can take it.</summary>
    public const string ActivePartition = "~active";

    private const string OpenRow = "open";
    private const string LastRow = "last";
    private const string IncidentKind = "incident";
    private const string TimelineRowKind = "timeline";
    private const string ActiveKind = "active";

    // A marker without its incident is only dropped once the opening that wrote it must have ended (or failed).
    private static readonly TimeSpan OrphanAfter = TimeSpan.FromMinutes(5);

    // Text stays as it is (the default encoder writes every non-ASCII character as a 6-character escape), so the
    // longest valid incident fits a Table property of 32K characters. Never rendered as HTML, so relaxed is safe here.
    private static readonly JsonSerializerOptions Json =
        new JsonSerializerOptions(JsonSerializerDefaults.Web) { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }.WithNodaTime();

    // A Table Storage string property holds at most 64 KiB of UTF-16.
    private const int MaxDocumentLength = 32_000;

    public Task<bool> OpenAsync(Incident incident, TimelineEntry first, CancellationToken cancellationToken = default) =>
        tables.RunAsync(TableName, async table =>
        {
            var partition = PartitionOf(incident.Id);
            TableTransactionAction[] opening =
            [
                // No last row here: while it is open the open row names the incident opened last, and the close
                // writes it (one entity fewer on the webhook's path).
                new(TableTransactionActionType.Add, new TableEntity(partition, OpenRow) { ["IncidentId"] = incident.Id }),
                new(TableTransactionActionType.Add, ToEntity(incident)),
                new(TableTransactionActionType.Add, ToEntity(incident.Id, first)),
            ];

            // The marker and the opening at once, one round trip for both: the webhook answers only after both.
            var marker = WriteMarkerAsync(table, incident, cancellationToken);
            bool opened;
            try
            {
                opened = await OpenKeyAsync(table, partition, incident.Id, opening, cancellationToken);
            }
            catch
            {
                // A marker without its incident is dropped by the next reader once it is old enough.
                await Task.WhenAny(marker);
                throw;
            }

            if (!opened)
            {
                await Task.WhenAny(marker);
                await DropMarkerAsync(table, incident.Id, cancellationToken);
                return false;
            }

            try
            {
                await marker;
            }
            catch (RequestFailedException)
            {
                // Opened but not listed yet: once more, else the caller answers 5xx and the sender's retry, a repeat, lists
                // it when its event is processed (EnsureListedAsync).
                await WriteMarkerAsync(table, incident, cancellationToken);
            }

            return true;
        }, cancellationToken);

    /// <summary>Lists an incident among the active ones if it is not (an opening whose marker write failed).</summary>
    public Task EnsureListedAsync(Incident incident, CancellationToken cancellationToken = default) =>
        tables.RunAsync(TableName, table => WriteMarkerAsync(table, incident, cancellationToken), cancellationToken);

    private async Task WriteMarkerAsync(TableClient table, Incident incident, CancellationToken cancellationToken) =>
        await table.UpsertEntityAsync(
            new TableEntity(ActivePartition, incident.Id)
            {
                ["Kind"] = ActiveKind,
                ["RotationId"] = incident.RotationId ?? "",
                ["WrittenAt"] = timeProvider.GetUtcNow(),
            },
            TableUpdateMode.Replace,
            cancellationToken);

    /// <summary>
    /// The opening transaction: true when it went through (now, or on a try whose answer was lost), false when the key
    /// is open.
    /// </summary>
    private static async Task<bool> OpenKeyAsync(
        TableClient table,
        string partition,
        string id,
        TableTransactionAction[] opening,
        CancellationToken cancellationToken)
    {
        try
        {
            await table.SubmitTransactionAsync(opening, cancellationToken);
            return true;
        }
        catch (TableTransactionFailedException exception) when (exception.Status == 409)
        {
            // Either the key is open already, or this very transaction went through and only its answer was lost
            // (the storage client retried it): the open row tells which.
            var open = await table.GetEntityIfExistsAsync<TableEntity>(partition, OpenRow, cancellationToken: cancellationToken);
            return open.HasValue && open.Value?.GetString("IncidentId") == id;
        }
    }

    public Task<string?> FindOpenIdAsync(string source, string dedupKey, CancellationToken cancellationToken = default) =>
        PointerAsync(IncidentIds.KeyHash(source, dedupKey), OpenRow, cancellationToken);

    public async Task<string?> FindLastIdAsync(string source, string dedupKey, CancellationToken cancellationToken = default)
    {
        // Only one incident of a key is open at a time, and only after the one before it closed: the open one, if any,
        // is the one opened last. A last row written at an opening (before the row moved to the close) names it too.
        // Open first, then last: a close moves the id from one to the other in one transaction, so read in this order
        // the two never miss an incident closing between the reads.
        var partition = IncidentIds.KeyHash(source, dedupKey);
        return await PointerAsync(partition, OpenRow, cancellationToken)
            ?? await PointerAsync(partition, LastRow, cancellationToken);
    }

    public Task<StoredIncident?> FindAsync(string id, CancellationToken cancellationToken = default) =>
        tables.RunAsync(TableName, table => ReadAsync(table, id, cancellationToken), cancellationToken);

    public Task AppendAsync(string id, TimelineEntry entry, CancellationToken cancellationToken = default) =>
        tables.RunAsync(TableName, table => table.AddEntityAsync(ToEntity(id, entry), cancellationToken), cancellationToken);

    public Task<string> SaveAsync(
        Incident incident,
        string etag,
        TimelineEntry? entry = null,
        CancellationToken cancellationToken = default) =>
        tables.RunAsync(TableName, async table =>
        {
            var partition = PartitionOf(incident.Id);
            var actions = new List<TableTransactionAction>
            {
                new(TableTransactionActionType.UpdateReplace, ToEntity(incident), new ETag(etag)),
            };
            if (entry is not null)
            {
                actions.Add(new(TableTransactionActionType.Add, ToEntity(incident.Id, entry)));
            }

            if (incident.IsClosed)
            {
                // Release the key in the same transaction, but only while it still names this incident.
                var pointer = await table.GetEntityIfExistsAsync<TableEntity>(partition, OpenRow, cancellationToken: cancellationToken);
                if (pointer.HasValue && pointer.Value is { } open && open.GetString("IncidentId") == incident.Id)
                {
                    actions.Add(new(TableTransactionActionType.Delete, open, open.ETag));
                    actions.Add(new(
                        TableTransactionActionType.UpsertReplace,
                        new TableEntity(partition, LastRow) { ["IncidentId"] = incident.Id }));
                }
            }

            string saved;
            try
            {
                var response = await table.SubmitTransactionAsync(actions, cancellationToken);
                saved = response.Value[0].Headers.ETag?.ToString()
                    ?? throw new InvalidOperationException("Table Storage returned no ETag.");
            }
            catch (TableTransactionFailedException exception) when (TableErrors.IsConflict(exception) || exception.Status == 404)
            {
                throw new ConcurrencyException("Incident", incident.Id);
            }

            if (incident.IsClosed)
            {
                await DropMarkerAsync(table, incident.Id, cancellationToken);
            }

            return saved;
        }, cancellationToken);

    public Task<IReadOnlyList<TimelineEntry>> TimelineAsync(string id, CancellationToken cancellationToken = default) =>
        tables.RunAsync(TableName, async table =>
        {
            var partition = PartitionOf(id);
            var (from, to) = ($"{id}~t~", $"{id}~t~~");
            var result = new List<TimelineEntry>();
            await foreach (var entity in table.QueryAsync<TableEntity>(
                TableClient.CreateQueryFilter($"PartitionKey eq {partition} and RowKey gt {from} and RowKey lt {to}"),
                cancellationToken: cancellationToken))
            {
                result.Add(JsonSerializer.Deserialize<TimelineDocument>(entity.GetString("Document"), Json)!.ToEntry());
            }

            return (IReadOnlyList<TimelineEntry>)result;
        }, cancellationToken);

    public async Task<IReadOnlyList<Incident>> ListAsync(IncidentStatus? status = null, CancellationToken cancellationToken = default)
    {
        if (status is { } active && active is not (IncidentStatus.Resolved or IncidentStatus.Canceled))
        {
            return [.. (await ListActiveAsync(cancellationToken: cancellationToken)).Where(i => i.Status == active)];
        }

        return await QueryAsync(
            status is { } s
                ? TableClient.CreateQueryFilter($"Kind eq {IncidentKind} and Status eq {s.ToString()}")
                : TableClient.CreateQueryFilter($"Kind eq {IncidentKind}"),
            cancellationToken);
    }

    public Task<IReadOnlyList<Incident>> ListActiveAsync(string? rotationId = null, CancellationToken cancellationToken = default) =>
        tables.RunAsync(TableName, async table =>
        {
            var filter = rotationId is null
                ? TableClient.CreateQueryFilter($"PartitionKey eq {ActivePartition}")
                : TableClient.CreateQueryFilter($"PartitionKey eq {ActivePartition} and RotationId eq {rotationId}");
            var markers = new List<TableEntity>();
            await foreach (var marker in table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
            {
                markers.Add(marker);
            }

            var incidents = await Task.WhenAll(markers.Select(m => ReadAsync(table, m.RowKey, cancellationToken)));
            var active = new List<Incident>();
            for (var i = 0; i < markers.Count; i++)
            {
                if (incidents[i]?.Incident is { IsClosed: false } incident)
                {
                    active.Add(incident);
                }
                else if (incidents[i] is not null || timeProvider.GetUtcNow() - markers[i].GetDateTimeOffset("WrittenAt") > OrphanAfter)
                {
                    // Closed (its closer stopped before removing the marker), or an opening that never came to be.
                    await DropMarkerAsync(table, markers[i].RowKey, cancellationToken);
                }
            }

            return NewestFirst(active);
        }, cancellationToken);

    /// <summary>Best effort: a marker left behind only costs a reader one point read, and the reader drops it.</summary>
    private static async Task DropMarkerAsync(TableClient table, string id, CancellationToken cancellationToken)
    {
        try
        {
            await table.DeleteEntityAsync(ActivePartition, id, ETag.All, cancellationToken);
        }
        catch (RequestFailedException)
        {
            // What was asked of the caller (a close, a list) is done; the marker goes next time.
        }
    }

    private static async Task<StoredIncident?> ReadAsync(TableClient table, string id, CancellationToken cancellationToken)
    {
        if (IncidentIds.PartitionOf(id) is not { } partition)
        {
            return null;
        }

        var found = await table.GetEntityIfExistsAsync<TableEntity>(partition, id, cancellationToken: cancellationToken);
        return found.HasValue && found.Value is not null ? new StoredIncident(ToIncident(found.Value), found.Value.ETag.ToString()) : null;
    }

    private static IReadOnlyList<Incident> NewestFirst(IEnumerable<Incident> incidents) =>
        [.. incidents.OrderByDescending(i => i.OpenedAt).ThenBy(i => i.Id, StringComparer.Ordinal)];

    private Task<IReadOnlyList<Incident>> QueryAsync(string filter, CancellationToken cancellationToken) =>
        tables.RunAsync(TableName, async table =>
        {
            var result = new List<Incident>();
            await foreach (var entity in table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
            {
                result.Add(ToIncident(entity));
            }

            return NewestFirst(result);
        }, cancellationToken);

    private Task<string?> PointerAsync(string partition, string row, CancellationToken cancellationToken) =>
        tables.RunAsync(TableName, async table =>
        {
            var found = await table.GetEntityIfExistsAsync<TableEntity>(partition, row, cancellationToken: cancellationToken);
            return found.HasValue && found.Value is not null ? found.Value.GetString("IncidentId") : null;
        }, cancellationToken);

    private static string PartitionOf(string id) =>
        IncidentIds.PartitionOf(id) ?? throw new ArgumentException($"'{id}' is not an incident id.", nameof(id));

    private static TableEntity ToEntity(Incident incident)
    {
        var document = JsonSerializer.Serialize(IncidentDocument.From(incident), Json);
        if (document.Length > MaxDocumentLength)
        {
            // Only text made of quotes and backslashes (each escaped to two characters) gets here: a 413, not a 500.
            throw new TooLargeException(
                "Incident",
                "description",
                $"the incident's title, description, components and status message come to {document.Length} characters "
                + $"stored; at most {MaxDocumentLength} fit.");
        }

        return new TableEntity(PartitionOf(incident.Id), incident.Id)
        {
            ["Kind"] = IncidentKind,
            ["Status"] = incident.Status.ToString(),
            ["Active"] = !incident.IsClosed,
            ["RotationId"] = incident.RotationId ?? "",
            ["OpenedAt"] = incident.OpenedAt.ToDateTimeOffset(),
            ["Document"] = document,
        };
    }

    // Ordered by time; within one tick the opening entry comes first, the rest in no particular order.
    private static TableEntity ToEntity(string id, TimelineEntry entry)
    {
        var order = entry.Kind == TimelineKind.Opened ? '0' : '1';
        var suffix = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
        return new(PartitionOf(id), string.Create(CultureInfo.InvariantCulture, $"{id}~t~{entry.At.ToUnixTimeTicks():D19}~{order}{suffix}"))
        {
            ["Kind"] = TimelineRowKind,
            ["Document"] = JsonSerializer.Serialize(TimelineDocument.From(entry), Json),
        };
    }

    private static Incident ToIncident(TableEntity entity) =>
        (JsonSerializer.Deserialize<IncidentDocument>(entity.GetString("Document"), Json)
            ?? throw new InvalidDataException($"Incident '{entity.RowKey}' has no document.")).ToIncident(entity.RowKey);
}

/// <summary>The stored form of an incident: plain strings, readable in Storage Explorer.</summary>
internal sealed record IncidentDocument(
    int Version,
    string Source,
    string DedupKey,
    string Title,
    string Severity,
    string Status,
    string? RotationId,
    string? Service,
    string? Description,
    IReadOnlyList<string> Components,
    MemberDocument? Commander,
    Instant OpenedAt,
    Instant? ResolvedAt,
    string? Link,
    string? StatusMessage,
    StepDocument Statuspage,
    StepDocument PostMortem,
    Instant? StatuspageReminderAt)
{
    public static IncidentDocument From(Incident i) => new(
        1,
        i.Source,
        i.DedupKey,
        i.Title,
        i.Severity.ToString(),
        i.Status.ToString(),
        i.RotationId,
        i.Service,
        i.Description,
        i.Components,
        i.Commander is { } c ? new(c.Name, c.Email) : null,
        i.OpenedAt,
        i.ResolvedAt,
        i.Link,
        i.StatusMessage,
        StepDocument.From(i.Statuspage),
        StepDocument.From(i.PostMortem),
        i.StatuspageReminderAt);

    public Incident ToIncident(string id) => new(
        id,
        Source,
        DedupKey,
        Title,
        Enum.Parse<Severity>(Severity),
        Enum.Parse<IncidentStatus>(Status),
        RotationId,
        Service,
        Description,
        Components,
        Commander is { } c ? new Member(c.Name, c.Email) : null,
        OpenedAt)
    {
        ResolvedAt = ResolvedAt,
        Link = Link,
        StatusMessage = StatusMessage,
        Statuspage = Statuspage.ToState(),
        PostMortem = PostMortem.ToState(),
        StatuspageReminderAt = StatuspageReminderAt,
    };
}

internal sealed record StepDocument(
    string State,
    string? ExternalId,
    string? Url,
    string? Applied,
    string? Target,
    Instant? ClaimedAt,
    string? Note,
    Instant? RetryAt = null)
{
    public static StepDocument From(StepState s) =>
        new(IncidentRules.Wire(s.Status), s.ExternalId, s.Url, s.Applied, s.Target, s.ClaimedAt, s.Note, s.RetryAt);

    public StepState ToState() =>
        new(IncidentRules.ParseStepStatus(State), ExternalId, Url, Applied, Target, ClaimedAt, Note, RetryAt);
}

internal sealed record TimelineDocument(Instant At, string Kind, string Message, string? By)
{
    public static TimelineDocument From(TimelineEntry e) => new(e.At, IncidentRules.Wire(e.Kind), e.Message, e.By);

    // Rows written before every entry had an author lack one only for status changes that named nobody.
    public TimelineEntry ToEntry() => new(At, IncidentRules.ParseTimelineKind(Kind), Message, By ?? TimelineEntry.AdminKey);
}
