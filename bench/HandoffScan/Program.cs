using System.Text.Json;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using NodaTime;
using OnCall.Core.Diagnostics;
using OnCall.Core.Events;
using OnCall.Core.Handoffs;
using OnCall.Core.Notifications;
using OnCall.Core.Ports;
using OnCall.Core.Rotations;
using OnCall.Infrastructure.Storage;
using OnCall.TestSupport;

// One FlagMissedHandoffs pass over the same current week, once with 10 and once with 10,000 handoffs of history.
var now = Instant.FromUtc(2026, 11, 12, 12, 0);
await using var azurite = await AzuriteProcess.StartAsync();
var results = new List<(int History, Counts Counts)>();
foreach (var history in new[] { 10, 10_000 })
{
    results.Add((history, await MeasureAsync(azurite.ConnectionString, history, now)));
}

Console.WriteLine($"{"historic handoffs",-28}{results[0].History,10}{results[1].History,10}");
Console.WriteLine($"{"entities read by one run",-28}{results[0].Counts.Entities,10}{results[1].Counts.Entities,10}");
Console.WriteLine($"{"table requests of one run",-28}{results[0].Counts.Requests,10}{results[1].Counts.Requests,10}");
Console.WriteLine($"{"entities in partitions read",-28}{results[0].Counts.PartitionRange,10}{results[1].Counts.PartitionRange,10}");
Console.WriteLine(results[0].Counts == results[1].Counts ? "equal: the scan does not read history" : "NOT EQUAL: the scan reads history");
return results[0].Counts == results[1].Counts ? 0 : 1;

static async Task<Counts> MeasureAsync(string connectionString, int history, Instant now)
{
    var counter = new EntityCounter();
    var clientOptions = new TableClientOptions();
    clientOptions.AddPolicy(counter, HttpPipelinePosition.PerCall);
    var tables = new TableProvider(
        new TableServiceClient(connectionString, clientOptions),
        Options.Create(new StorageOptions { ConnectionString = connectionString, Prefix = AzuriteFixture.NewPrefix() }));
    var handoffs = new TableHandoffRepository(tables);
    var rotations = new TableRotationRepository(tables);
    await rotations.SaveAsync(Rotation.Create(Settings(), "hash", now - Duration.FromDays(400)), null);

    // History: acknowledged handoffs, one an hour, from 30 days back, so they fill thousands of partitions.
    await Parallel.ForEachAsync(Enumerable.Range(0, history), new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (i, token) =>
    {
        var due = now - Duration.FromDays(30) - Duration.FromHours(i);
        var old = new Handoff(Handoff.IdFor("bench", "primary", due), "bench", "primary", new Member("Ada", "ada@example.com"), new Member("Lin", "lin@example.com"), due, Duration.FromMinutes(30), HandoffStatus.Acknowledged, due)
        {
            AcknowledgedAt = due,
            AcknowledgedBy = "lin@example.com",
        };
        await handoffs.AddIfAbsentAsync(old, token);
    });

    var service = new HandoffService(handoffs, rotations, new SilentNotifier(), new NoEvents(), new NoLinks(), new NoCarriedOver(), new HandoffSettings(HandoffSettings.DefaultReminderLead), new OnCallMetrics(new PlainMeterFactory()));
    await service.PlanAsync(now);
    await service.FlagMissedAsync(now - Duration.FromHours(6));

    counter.Reset();
    await service.FlagMissedAsync(now);
    var counts = new Counts(counter.Entities, counter.Requests, 0);

    // What the service itself scans for that query: every entity of the partition range it names, whatever their Due.
    var (first, last) = (TableHandoffRepository.PartitionOf(now - HandoffSettings.ScanLookback), TableHandoffRepository.PartitionOf(now + HandoffSettings.DefaultReminderLead));
    var table = await tables.GetAsync(TableHandoffRepository.TableName);
    var scanned = 0L;
    await foreach (var _ in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey ge {first} and PartitionKey le {last}"), select: ["RowKey"]))
    {
        scanned++;
    }

    return counts with { PartitionRange = scanned };
}

static RotationSettings Settings() => new(
    "bench",
    "Bench",
    DateTimeZoneProviders.Tzdb["Europe/Berlin"],
    new Supervisor("Dana", "dana@example.com"),
    Duration.FromMinutes(30),
    null,
    Period.FromWeeks(8),
    [new LayerDefinition("primary", [new Member("Ada", "ada@example.com"), new Member("Lin", "lin@example.com")], Period.FromDays(1), new LocalTime(9, 0), new LocalDate(2026, 1, 1), Period.Zero)]);

internal sealed record Counts(long Entities, long Requests, long PartitionRange);

/// <summary>Counts entities in every Table Storage answer: the rows of a query page, or one for a point read.</summary>
internal sealed class EntityCounter : HttpPipelineSynchronousPolicy
{
    private long _entities;
    private long _requests;

    public long Entities => Interlocked.Read(ref _entities);

    public long Requests => Interlocked.Read(ref _requests);

    public void Reset()
    {
        Interlocked.Exchange(ref _entities, 0);
        Interlocked.Exchange(ref _requests, 0);
    }

    public override void OnReceivedResponse(HttpMessage message)
    {
        Interlocked.Increment(ref _requests);
        if (message.Request.Method != RequestMethod.Get || message.Response.Status != 200 || message.Response.Content.ToMemory().Length == 0)
        {
            return;
        }

        using var json = JsonDocument.Parse(message.Response.Content.ToMemory());
        var count = json.RootElement.TryGetProperty("value", out var rows) ? rows.GetArrayLength() : 1;
        Interlocked.Add(ref _entities, count);
    }
}

internal sealed class SilentNotifier : INotifier
{
    public Task<NotificationResult> NotifyAsync(Notification notification, CancellationToken cancellationToken = default) =>
        Task.FromResult(new NotificationResult([ChannelDelivery.Sent(NotificationChannel.Slack)]));
}

internal sealed class NoEvents : IEventPublisher
{
    public Task<ChannelDelivery> PublishAsync(DomainEvent domainEvent, CancellationToken cancellationToken = default) =>
        Task.FromResult(ChannelDelivery.NotConfigured(NotificationChannel.ServiceBus));
}

internal sealed class NoCarriedOver : ICarriedOverItems
{
    public Task<IReadOnlyList<string>?> ForAsync(string rotationId, Member outgoing, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<string>?>([]);
}

internal sealed class NoLinks : IHandoffLinks
{
    public Uri? AcknowledgeLink(Handoff handoff, DateTimeZone zone, string email) => null;

    public OnCall.Core.Ports.LinkCheck Check(string id, string? email, string? expires, string? signature, Instant now) =>
        OnCall.Core.Ports.LinkCheck.NotConfigured;
}

/// <summary>Meters without the DI container: the bench records nothing from them.</summary>
internal sealed class PlainMeterFactory : System.Diagnostics.Metrics.IMeterFactory
{
    public System.Diagnostics.Metrics.Meter Create(System.Diagnostics.Metrics.MeterOptions options) => new(options);

    public void Dispose()
    {
    }
}
