using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using Azure.Data.Tables;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using OnCall.Functions;
using OnCall.TestSupport;

// Webhook ingest (POST /api/incidents, each a new alert key: the full path of reading the key, finding the commander,
// the opening transaction and the queue message) against the standalone app, and Azurite's raw single-entity insert
// rate at the same concurrency, in the same run; then a paced run at 50 requests/s for latency.
const string Secret = "bench-webhook-secret-0123456789";
const string Rotation = """
    {"id":"platform","name":"Platform on-call","timeZone":"America/New_York","supervisor":{"name":"Dana Lee","email":"dana@example.com"},
     "layers":[{"name":"primary","shiftLength":"P7D","handoffTime":"10:00","anchor":"2026-11-02",
       "members":[{"name":"Ada","email":"ada@example.com"},{"name":"Lin","email":"lin@example.com"}]}]}
    """;
await using var azurite = await AzuriteProcess.StartAsync();
if (args.Contains("--row-keys"))
{
    await RowKeysAsync(azurite);
    return 0;
}

var levels = args.Length > 0 ? args.Select(a => int.Parse(a, CultureInfo.InvariantCulture)).ToArray() : [1, 8, 32];
var prefix = AzuriteFixture.NewPrefix();

// The queue function is off: this measures the webhook's own work, not Statuspage or GitHub calls behind it.
var app = OnCallApplication.Build(
[
    "--urls=http://127.0.0.1:0", $"--AzureWebJobsStorage={azurite.ConnectionString}", "--OnCall:AdminKey=bench-admin-key-0123456789",
    $"--OnCall:Storage:Prefix={prefix}", $"--OnCall:WebhookSecrets:Generic={Secret}", "--OnCall:Incidents:DefaultRotation=platform",
    "--AzureWebJobs.ProcessIncidentEvent.Disabled=true", "--AzureWebJobs.PlanHandoffs.Disabled=true", "--AzureWebJobs.FlagMissedHandoffs.Disabled=true",
    "--AzureWebJobs.PruneFeedLedger.Disabled=true", "--AzureWebJobs.RemindStatuspageOpen.Disabled=true", "--Logging:LogLevel:Default=Warning",
]);
await app.StartAsync();
var baseAddress = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 256 }) { BaseAddress = baseAddress };
http.DefaultRequestHeaders.Add("x-functions-key", "bench-admin-key-0123456789");
using (var put = await http.PutAsync("/api/rotations/platform", new StringContent(Rotation, Encoding.UTF8, "application/json")))
{
    put.EnsureSuccessStatusCode();
}

var table = new TableServiceClient(azurite.ConnectionString).GetTableClient($"{prefix}Raw");
await table.CreateIfNotExistsAsync();
var sequence = 0;

async Task<TimeSpan> IngestAsync()
{
    var key = Interlocked.Increment(ref sequence);
    using var request = new HttpRequestMessage(HttpMethod.Post, "/api/incidents")
    {
        Content = new StringContent($$"""{"title":"Bench alert {{key}}","severity":"major","dedupKey":"bench-{{key}}","service":"api","components":["api"]}""", Encoding.UTF8, "application/json"),
    };
    request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Secret);
    var started = Stopwatch.GetTimestamp();
    using var response = await http.SendAsync(request);
    var elapsed = Stopwatch.GetElapsedTime(started);
    if ((int)response.StatusCode != 202)
    {
        throw new InvalidOperationException($"ingest answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }

    return elapsed;
}

async Task<TimeSpan> InsertAsync()
{
    var key = Interlocked.Increment(ref sequence).ToString("D10", CultureInfo.InvariantCulture);
    var started = Stopwatch.GetTimestamp();
    await table.AddEntityAsync(new TableEntity("p" + key[^2..], key) { ["Title"] = "Bench alert", ["Severity"] = "Major" });
    return Stopwatch.GetElapsedTime(started);
}

// The floor of any design whose 202 means "stored and queued": one single-entity insert, then one queue message, from
// this process's own clients, with no app, no HTTP and no dedup. Its rate bounds the ingest's from above on this Azurite.
var floorQueue = new Azure.Storage.Queues.QueueClient(azurite.ConnectionString, $"{prefix}-floor");
await floorQueue.CreateIfNotExistsAsync();

async Task<TimeSpan> StoredAndQueuedAsync()
{
    var key = Interlocked.Increment(ref sequence).ToString("D10", CultureInfo.InvariantCulture);
    var started = Stopwatch.GetTimestamp();
    await table.AddEntityAsync(new TableEntity("p" + key[^2..], key) { ["Title"] = "Bench alert", ["Severity"] = "Major" });
    await floorQueue.SendMessageAsync($$"""{"incidentId":"{{key}}","kind":"opened"}""");
    return Stopwatch.GetElapsedTime(started);
}

// Warm every path (JIT, connections, tables and queues created on first use).
await RunAsync(InsertAsync, 8, 200);
await RunAsync(StoredAndQueuedAsync, 8, 200);
await RunAsync(IngestAsync, 8, 200);

// Open loop first, on a young table: one request every 20 ms whatever the answers, so queueing shows in the latency.
var paced = await PacedAsync(IngestAsync, 50, TimeSpan.FromSeconds(Environment.GetEnvironmentVariable("BENCH_ONLY_BREAKDOWN") is null ? 20 : 1));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"paced 50/s for 20 s: {paced.Count} requests, p50 {Ms(paced.P50)}, p99 {Ms(paced.P99)}, max {Ms(paced.Max)}"));
Console.WriteLine(
    $"{"concurrency",-12}{"insert/s",10}{"floor/s",10}{"ingest/s",10}{"ratio",8}{"floor",8}{"insert p50",12}{"ingest p50",12}{"ingest p99",12}");
var cpu = new List<string>();
foreach (var concurrency in levels.Where(_ => Environment.GetEnvironmentVariable("BENCH_ONLY_BREAKDOWN") is null))
{
    var count = concurrency == 1 ? 300 : 1500;
    var (insert, insertCpu) = await WithCpuAsync(() => RunAsync(InsertAsync, concurrency, count));
    var (floor, floorCpu) = await WithCpuAsync(() => RunAsync(StoredAndQueuedAsync, concurrency, count));
    var (ingest, ingestCpu) = await WithCpuAsync(() => RunAsync(IngestAsync, concurrency, count));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{concurrency,-12}{insert.Rate,10:F0}{floor.Rate,10:F0}{ingest.Rate,10:F0}{ingest.Rate / insert.Rate,8:F2}{floor.Rate / insert.Rate,8:F2}" +
        $"{Ms(insert.P50),12}{Ms(ingest.P50),12}{Ms(ingest.P99),12}"));
    cpu.Add(string.Create(CultureInfo.InvariantCulture,
        $"{concurrency,-12}{Ms(insertCpu.Azurite / count),10}{Ms(insertCpu.Bench / count),10}{Ms(floorCpu.Azurite / count),10}" +
        $"{Ms(floorCpu.Bench / count),10}{Ms(ingestCpu.Azurite / count),10}{Ms(ingestCpu.Bench / count),10}"));
}

// Where the CPU of the two cores goes: Azurite's process, and this one (the app, its HTTP client and the SDK).
Console.WriteLine($"{"CPU per op",-12}{"insert:",10}{"",10}{"floor:",10}{"",10}{"ingest:",10}");
Console.WriteLine($"{"concurrency",-12}{"azurite",10}{"bench",10}{"azurite",10}{"bench",10}{"azurite",10}{"bench",10}");
cpu.ForEach(Console.WriteLine);

async Task<(Result Result, (TimeSpan Azurite, TimeSpan Bench) Cpu)> WithCpuAsync(Func<Task<Result>> run)
{
    var (azuriteBefore, benchBefore) = (azurite.ProcessorTime, Process.GetCurrentProcess().TotalProcessorTime);
    var result = await run();
    return (result, (azurite.ProcessorTime - azuriteBefore, Process.GetCurrentProcess().TotalProcessorTime - benchBefore));
}

// Where one ingest's time goes: each storage call it makes, alone, one at a time.
var queue = new Azure.Storage.Queues.QueueClient(azurite.ConnectionString, $"{prefix}-breakdown");
await queue.CreateIfNotExistsAsync();
var rotations = new TableServiceClient(azurite.ConnectionString).GetTableClient($"{prefix}Rotations");
var parts = new (string Name, Func<Task<TimeSpan>> Call)[]
{
    ("point read (absent)", () => TimedAsync(() => table.GetEntityIfExistsAsync<TableEntity>("nothing", Guid.NewGuid().ToString("N")))),
    ("rotation partition query", () => TimedAsync(async () => { await foreach (var _ in rotations.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {"platform"}"))) { } })),
    ("4-entity transaction", () => TimedAsync(() =>
    {
        var partition = Guid.NewGuid().ToString("N");
        return table.SubmitTransactionAsync([.. Enumerable.Range(0, 4).Select(i => new TableTransactionAction(TableTransactionActionType.Add, new TableEntity(partition, $"r{i}") { ["Document"] = new string('x', 600) }))]);
    })),
    ("4-entity tx with upsert", () => TimedAsync(() =>
    {
        var partition = Guid.NewGuid().ToString("N");
        return table.SubmitTransactionAsync([.. Enumerable.Range(0, 4).Select(i => new TableTransactionAction(i == 1 ? TableTransactionActionType.UpsertReplace : TableTransactionActionType.Add, new TableEntity(partition, $"r{i}") { ["Document"] = new string('x', 600) }))]);
    })),
    ("queue message", () => TimedAsync(() => queue.SendMessageAsync("{\"incidentId\":\"x\",\"kind\":\"opened\"}"))),
};
var incidents = app.Services.GetRequiredService<OnCall.Core.Incidents.IncidentService>();
var rotationService = app.Services.GetRequiredService<OnCall.Core.Rotations.RotationService>();
var repository = app.Services.GetRequiredService<OnCall.Core.Ports.IIncidentRepository>();
var sender = app.Services.GetRequiredService<OnCall.Core.Jobs.IWorkQueueSender>();
parts =
[
    .. parts,
    ("rotation read (service)", () => TimedAsync(() => rotationService.GetAsync("platform"))),
    ("ingest, no HTTP", () => TimedAsync(() =>
    {
        var key = Interlocked.Increment(ref sequence);
        return incidents.IngestAsync(new OnCall.Core.Incidents.Alert("generic", $"direct-{key}", OnCall.Core.Incidents.Severity.Major, "Bench", null, "api", ["api"], null, false));
    })),
    ("health over HTTP", () => TimedAsync(() => http.GetAsync("/api/health"))),
    ("repo: read open key", () => TimedAsync(() => repository.FindOpenIdAsync("generic", Guid.NewGuid().ToString("N")))),
    ("repo: open transaction", () => TimedAsync(() =>
    {
        var key = Guid.NewGuid().ToString("N");
        var now = NodaTime.Instant.FromDateTimeOffset(DateTimeOffset.UnixEpoch.AddYears(56));
        var incident = new OnCall.Core.Incidents.Incident(OnCall.Core.Incidents.IncidentIds.New("generic", key, now), "generic", key, "Bench", OnCall.Core.Incidents.Severity.Major, OnCall.Core.Incidents.IncidentStatus.Open, "platform", "api", null, ["api"], null, now);
        return repository.OpenAsync(incident, new OnCall.Core.Incidents.TimelineEntry(now, OnCall.Core.Incidents.TimelineKind.Opened, "Opened", "generic"));
    })),
    ("sender: enqueue event", () => TimedAsync(() => sender.EnqueueAsync(OnCall.Core.Incidents.IncidentQueues.Events, new OnCall.Core.Incidents.IncidentEvent("x", "opened")))),
    ("on call at (service)", () => TimedAsync(() => rotationService.GetOnCallAsync("platform", NodaTime.Instant.FromDateTimeOffset(DateTimeOffset.UnixEpoch.AddYears(56))))),
];
foreach (var (name, call) in parts)
{
    var (part, partCpu) = await WithCpuAsync(() => RunAsync(call, 1, 300));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{name,-26} p50 {Ms(part.P50)}, CPU per call: azurite {Ms(partCpu.Azurite / 300)}, bench {Ms(partCpu.Bench / 300)}"));
}

await app.StopAsync();
return 0;

// Azurite's CPU per opening-shaped transaction as its table fills with alert keys (partitions holding "open", "last"
// and an incident row, as the Incidents table does), beside the same transaction with row keys no other partition
// uses, and single inserts. Azurite (LokiJS) finds an entity through its RowKey index first, so a row key that every
// partition repeats is a scan of all of them; Table Storage finds it by (PartitionKey, RowKey).
static async Task RowKeysAsync(AzuriteProcess azurite)
{
    var service = new TableServiceClient(azurite.ConnectionString);
    var document = new string('x', 1500);
    Console.WriteLine($"{"alert keys in the table",-24}{"operation",-44}{"azurite CPU/op",16}{"wall/op",10}");
    foreach (var keys in new[] { 0, 3000, 6000 })
    {
        var table = service.GetTableClient($"rowkeys{keys}{Guid.NewGuid():N}"[..30]);
        await table.CreateAsync();
        for (var i = 0; i < keys; i++)
        {
            var partition = $"f{i}";
            await table.SubmitTransactionAsync(
            [
                new(TableTransactionActionType.Add, new TableEntity(partition, "open")),
                new(TableTransactionActionType.Add, new TableEntity(partition, "last")),
                new(TableTransactionActionType.Add, new TableEntity(partition, $"id{i}") { ["Document"] = document }),
            ]);
        }

        TableTransactionAction[] Opening(string partition, bool unique) =>
        [
            new(TableTransactionActionType.Add, new TableEntity(partition, unique ? $"open{partition}" : "open")),
            new(TableTransactionActionType.UpsertReplace, new TableEntity(partition, unique ? $"last{partition}" : "last")),
            new(TableTransactionActionType.Add, new TableEntity(partition, $"id{partition}") { ["Document"] = document }),
            new(TableTransactionActionType.Add, new TableEntity(partition, $"id{partition}~t") { ["Document"] = "opened" }),
        ];
        var operations = new (string Name, Func<Task> Call)[]
        {
            ("single insert, unique row key", () => table.AddEntityAsync(new TableEntity($"s{Guid.NewGuid():N}", $"k{Guid.NewGuid():N}"))),
            ("single insert, row key \"open\"", () => table.AddEntityAsync(new TableEntity($"o{Guid.NewGuid():N}", "open"))),
            ("4-entity opening, \"open\"/\"last\"", () => table.SubmitTransactionAsync(Opening($"a{Guid.NewGuid():N}", unique: false))),
            ("4-entity opening, unique row keys", () => table.SubmitTransactionAsync(Opening($"b{Guid.NewGuid():N}", unique: true))),
        };
        foreach (var (name, call) in operations)
        {
            const int Count = 300;
            var cpu = azurite.ProcessorTime;
            var started = Stopwatch.GetTimestamp();
            for (var i = 0; i < Count; i++)
            {
                await call();
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{keys,-24}{name,-44}{Ms((azurite.ProcessorTime - cpu) / Count),16}{Ms(Stopwatch.GetElapsedTime(started) / Count),10}"));
        }
    }
}

static async Task<TimeSpan> TimedAsync(Func<Task> call)
{
    var started = Stopwatch.GetTimestamp();
    await call();
    return Stopwatch.GetElapsedTime(started);
}

static string Ms(TimeSpan t) => string.Create(CultureInfo.InvariantCulture, $"{t.TotalMilliseconds:F1} ms");

static async Task<Result> RunAsync(Func<Task<TimeSpan>> call, int concurrency, int count)
{
    var latencies = new List<TimeSpan>(count);
    var remaining = count;
    var started = Stopwatch.GetTimestamp();
    await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
    {
        while (Interlocked.Decrement(ref remaining) >= 0)
        {
            var latency = await call();
            lock (latencies)
            {
                latencies.Add(latency);
            }
        }
    }));
    return Result.Of(latencies, Stopwatch.GetElapsedTime(started));
}

static async Task<Result> PacedAsync(Func<Task<TimeSpan>> call, int perSecond, TimeSpan duration)
{
    var calls = new List<Task<TimeSpan>>();
    var interval = TimeSpan.FromSeconds(1.0 / perSecond);
    var started = Stopwatch.GetTimestamp();
    for (var i = 0; Stopwatch.GetElapsedTime(started) < duration; i++)
    {
        var due = interval * i;
        var wait = due - Stopwatch.GetElapsedTime(started);
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait);
        }

        calls.Add(Task.Run(call));
    }

    return Result.Of([.. await Task.WhenAll(calls)], Stopwatch.GetElapsedTime(started));
}

internal sealed record Result(int Count, double Rate, TimeSpan P50, TimeSpan P99, TimeSpan Max)
{
    public static Result Of(List<TimeSpan> latencies, TimeSpan elapsed)
    {
        latencies.Sort();
        TimeSpan At(double q) => latencies[Math.Min(latencies.Count - 1, (int)Math.Ceiling(q * latencies.Count) - 1)];
        return new Result(latencies.Count, latencies.Count / elapsed.TotalSeconds, At(0.5), At(0.99), latencies[^1]);
    }
}
