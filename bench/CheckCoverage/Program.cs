using System.Text.Json;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using NodaTime;
using OnCall.Core.Diagnostics;
using OnCall.Core.Notifications;
using OnCall.Core.Ports;
using OnCall.Core.Rotations;
using OnCall.Core.Swaps;
using OnCall.Core.TimeOff;
using OnCall.Infrastructure.Storage;
using OnCall.TestSupport;

// One CheckCoverage run (every rotation, 14 days ahead) for 10, 25 and 50 rotations, each with no history and with
// much history (past time off, past overrides, ended notice rows). The first run tells the problems and prunes ended
// notices; the second, steady-state run is what every daily run costs.
var now = Instant.FromUtc(2026, 11, 12, 12, 0);
await using var azurite = await AzuriteProcess.StartAsync();
Console.WriteLine($"{"rotations",9} {"history",8} | {"1st run: reads",14} {"entities",8} {"writes",6} | {"steady run: reads",17} {"(rot/off/notice)",16} {"entities",8} {"writes",6}");
int[] sizes = [10, 25, 50];
var steady = new Dictionary<(int, int), Counts>();
foreach (var rotations in sizes)
{
    foreach (var history in new[] { 0, History.PerRotation })
    {
        var (first, second) = await MeasureAsync(azurite.ConnectionString, rotations, history, now);
        steady[(rotations, history)] = second;
        Console.WriteLine($"{rotations,9} {history,8} | {first.Reads,14} {first.Entities,8} {first.Writes,6} | {second.Reads,17} {$"{second.RotationReads}/{second.TimeOffReads}/{second.NoticeReads}",16} {second.Entities,8} {second.Writes,6}");
    }
}

// The check's own reads: time off (by range) and notices (ended ones pruned), one query each per rotation.
var own = sizes.All(n => steady[(n, 0)].TimeOffReads + steady[(n, 0)].NoticeReads == 2 * n
    && steady[(n, History.PerRotation)].TimeOffReads + steady[(n, History.PerRotation)].NoticeReads == 2 * n);
Console.WriteLine(own
    ? "time off and notice reads: 2 per rotation, with and without history"
    : "time off and notice reads GROW with history");
Console.WriteLine("rotation reads: the list of every rotation with its overrides, past ones included, 1,000 rows a page");
return own ? 0 : 1;

static async Task<(Counts First, Counts Second)> MeasureAsync(string connectionString, int count, int history, Instant now)
{
    var counter = new StorageCounter();
    var clientOptions = new TableClientOptions();
    clientOptions.AddPolicy(counter, HttpPipelinePosition.PerCall);
    var tables = new TableProvider(
        new TableServiceClient(connectionString, clientOptions),
        Options.Create(new StorageOptions { ConnectionString = connectionString, Prefix = AzuriteFixture.NewPrefix() }));
    var rotations = new TableRotationRepository(tables);
    var timeOff = new TableTimeOffRepository(tables);
    var notices = new TableCoverageNoticeRepository(tables);
    await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, token) =>
    {
        var id = $"rotation-{i:00}";
        await rotations.SaveAsync(Rotation.Create(Settings(id), "hash", now - Duration.FromDays(700)), null, token);

        // Now: Ada is away for most of the next two weeks, which clashes with her shifts on both layers.
        await timeOff.AddAsync(id, new TimeOffEntry($"now-{i}", "ada@example.com", now + Duration.FromDays(1), now + Duration.FromDays(13), null, now), token);
        if (history > 0)
        {
            await History.SeedAsync(tables, id, history, now, token);
        }
    });

    var service = new CoverageCheckService(
        rotations,
        timeOff,
        notices,
        new SilentNotifier(),
        new NoSwapLinks(),
        new CoverageSettings(CoverageSettings.DefaultLookAhead),
        new OnCallMetrics(new PlainMeterFactory()),
        new FakeTimeProvider(now.ToDateTimeOffset()),
        NullLogger<CoverageCheckService>.Instance);
    counter.Reset();
    await service.CheckAllAsync();
    var first = counter.Snapshot();
    counter.Reset();
    await service.CheckAllAsync();
    return (first, counter.Snapshot());
}

static RotationSettings Settings(string id) => new(
    id,
    id,
    DateTimeZoneProviders.Tzdb["America/New_York"],
    new Supervisor("Dana", "dana@example.com"),
    Duration.FromMinutes(30),
    null,
    Period.FromWeeks(8),
    [
        new LayerDefinition("primary", Members(), Period.FromDays(7), new LocalTime(10, 0), new LocalDate(2025, 1, 6), Period.Zero),
        new LayerDefinition("secondary", Members(), Period.FromDays(7), new LocalTime(10, 0), new LocalDate(2025, 1, 6), Period.FromDays(3)),
    ]);

static Member[] Members() =>
    [new("Ada", "ada@example.com"), new("Lin", "lin@example.com")];

/// <summary>Past rows of one rotation: time off, overrides (the repository's row format) and ended notice rows.</summary>
internal static class History
{
    public const int PerRotation = 300;

    public static async Task SeedAsync(TableProvider tables, string rotationId, int rows, Instant now, CancellationToken token)
    {
        var day = Duration.FromDays(1);
        await AddAsync(tables, TableTimeOffRepository.TableName, Enumerable.Range(0, rows).Select(k => new TableEntity(rotationId, $"old-{k:0000}")
        {
            ["Member"] = "lin@example.com",
            ["Start"] = (now - (day * (k + 30))).ToDateTimeOffset(),
            ["End"] = (now - (day * (k + 29))).ToDateTimeOffset(),
            ["CreatedAt"] = (now - (day * (k + 60))).ToDateTimeOffset(),
        }), token);
        await AddAsync(tables, TableRotationRepository.TableName, Enumerable.Range(0, rows).Select(k => new TableEntity(rotationId, $"override-old-{k:0000}")
        {
            ["Layer"] = "primary",
            ["Start"] = (now - (day * (k + 30))).ToDateTimeOffset(),
            ["End"] = (now - (day * (k + 29))).ToDateTimeOffset(),
            ["MemberName"] = "Kim",
            ["MemberEmail"] = "kim@example.com",
            ["Reason"] = "swap",
            ["CreatedAt"] = (now - (day * (k + 60))).ToDateTimeOffset(),
        }), token);

        // Ended problems whose rows a run that never happened would have pruned (the app was down): the first run prunes them.
        var delivery = JsonSerializer.Serialize(new { claimedAt = "2026-01-01T00:00:00Z", attempts = 1, recordedAt = "2026-01-01T00:00:00Z", sentAt = "2026-01-01T00:00:00Z", retry = Array.Empty<string>(), channels = Array.Empty<object>() }, JsonSerializerOptions.Web);
        await AddAsync(tables, TableCoverageNoticeRepository.TableName, Enumerable.Range(0, rows / 3).Select(k => new TableEntity(rotationId, $"old-{k:0000}")
        {
            ["Kind"] = "Conflict",
            ["Layer"] = "primary",
            ["Member"] = "lin@example.com",
            ["Start"] = (now - (day * (k + 30))).ToDateTimeOffset(),
            ["End"] = (now - (day * (k + 29))).ToDateTimeOffset(),
            ["WindowFrom"] = (now - (day * (k + 40))).ToDateTimeOffset(),
            ["WindowTo"] = (now - (day * (k + 26))).ToDateTimeOffset(),
            ["Told"] = "Problem",
            ["Delivery"] = delivery,
        }), token);
    }

    private static async Task AddAsync(TableProvider tables, string name, IEnumerable<TableEntity> rows, CancellationToken token)
    {
        var table = await tables.GetAsync(name, token);
        foreach (var batch in rows.Chunk(100))
        {
            await table.SubmitTransactionAsync(batch.Select(e => new TableTransactionAction(TableTransactionActionType.Add, e)), token);
        }
    }
}

internal sealed record Counts(long Reads, long RotationReads, long TimeOffReads, long NoticeReads, long Entities, long Writes);

/// <summary>Counts Table Storage requests: reads (GET: query pages and point reads, per table, and the entities they return) and writes.</summary>
internal sealed class StorageCounter : HttpPipelineSynchronousPolicy
{
    private long _reads;
    private long _rotationReads;
    private long _timeOffReads;
    private long _noticeReads;
    private long _entities;
    private long _writes;

    /// <summary>Between runs only, when no request is in flight.</summary>
    public void Reset() => (_reads, _rotationReads, _timeOffReads, _noticeReads, _entities, _writes) = (0, 0, 0, 0, 0, 0);

    public Counts Snapshot() => new(_reads, _rotationReads, _timeOffReads, _noticeReads, _entities, _writes);

    public override void OnReceivedResponse(HttpMessage message)
    {
        if (message.Request.Method != RequestMethod.Get)
        {
            Interlocked.Increment(ref _writes);
            return;
        }

        Interlocked.Increment(ref _reads);
        var path = message.Request.Uri.Path;
        if (path.Contains(TableRotationRepository.TableName, StringComparison.Ordinal))
        {
            Interlocked.Increment(ref _rotationReads);
        }
        else if (path.Contains(TableTimeOffRepository.TableName, StringComparison.Ordinal))
        {
            Interlocked.Increment(ref _timeOffReads);
        }
        else if (path.Contains(TableCoverageNoticeRepository.TableName, StringComparison.Ordinal))
        {
            Interlocked.Increment(ref _noticeReads);
        }

        if (message.Response.Status == 200 && message.Response.Content.ToMemory().Length > 0)
        {
            using var json = JsonDocument.Parse(message.Response.Content.ToMemory());
            Interlocked.Add(ref _entities, json.RootElement.TryGetProperty("value", out var rows) ? rows.GetArrayLength() : 1);
        }
    }
}

internal sealed class SilentNotifier : INotifier
{
    public Task<NotificationResult> NotifyAsync(Notification notification, CancellationToken cancellationToken = default) =>
        Task.FromResult(new NotificationResult([ChannelDelivery.Sent(NotificationChannel.Slack)]));
}

internal sealed class NoSwapLinks : ISwapLinks
{
    public Uri? OfferLink(string rotationId, string layer, Instant shiftFrom, Instant shiftUntil, string email) => null;

    public Uri? TakeLink(SwapRequest swap, string email) => null;

    public Uri? ReviewLink(SwapRequest swap, string email) => null;

    public Uri? CancelLink(SwapRequest swap, string email) => null;
}

/// <summary>Meters without the DI container: the bench records nothing from them.</summary>
internal sealed class PlainMeterFactory : System.Diagnostics.Metrics.IMeterFactory
{
    public System.Diagnostics.Metrics.Meter Create(System.Diagnostics.Metrics.MeterOptions options) => new(options);

    public void Dispose()
    {
    }
}
