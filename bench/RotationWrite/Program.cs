using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using OnCall.Functions;
using OnCall.Infrastructure.Storage;
using OnCall.TestSupport;

// The rotation-write table (issue 15, item 2): PUT and DELETE time by rotation size on a fresh Azurite started here,
// the growth per shift, and /oncall latency on another rotation while the largest is written and deleted.
var runs = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 3;
await using var azurite = await AzuriteProcess.StartAsync();
await using var app = await BenchApp.StartAsync(azurite.ConnectionString);
await app.SendAsync(HttpMethod.Put, "/api/rotations/small", Rotation("small", "P7D", 1, "P8W"));

// Hourly layers over the feed window (2 days back to the horizon) give the sizes asked for.
(string Name, int Layers, string Horizon)[] sizes = [("~100", 1, "P2D"), ("~1,000", 1, "P40D"), ("~10,000", 2, "P206D"), ("largest", 10, "P366D")];
var rows = new List<(string Name, int Shifts, int LedgerRows, double Create, double Unchanged, double Changed, double Delete)>();
List<double> duringPut = [], duringDelete = [], idle = [];
foreach (var (name, layers, horizon) in sizes)
{
    var samples = new List<(int Shifts, int LedgerRows, double Create, double Unchanged, double Changed, double Delete)>();
    for (var run = 0; run < runs; run++)
    {
        var id = $"r{layers}-{horizon.ToLowerInvariant()}-{run}";
        var rotation = Rotation(id, "PT1H", layers, horizon);
        var largest = name == "largest";
        var create = await TimeAsync(app, () => app.SendAsync(HttpMethod.Put, $"/api/rotations/{id}", rotation), largest && run == 0 ? duringPut : null);
        var (shifts, ledgerRows) = await app.LedgerAsync(id);
        var unchanged = await TimeAsync(app, () => app.SendAsync(HttpMethod.Put, $"/api/rotations/{id}", rotation), null);
        rotation["layers"]![0]!["members"]!.AsArray().Add(new JsonObject { ["name"] = "Kim", ["email"] = "kim@example.com" });
        var changed = await TimeAsync(app, () => app.SendAsync(HttpMethod.Put, $"/api/rotations/{id}", rotation), null);
        var delete = await TimeAsync(app, () => app.SendAsync(HttpMethod.Delete, $"/api/rotations/{id}", null), largest && run == 0 ? duringDelete : null);
        samples.Add((shifts, ledgerRows, create, unchanged, changed, delete));
    }

    rows.Add((name, samples[0].Shifts, samples[0].LedgerRows, Median(samples.Select(s => s.Create)), Median(samples.Select(s => s.Unchanged)), Median(samples.Select(s => s.Changed)), Median(samples.Select(s => s.Delete))));
}

for (var i = 0; i < 300; i++)
{
    idle.Add(await app.OnCallAsync());
}

Console.WriteLine($"Rotation writes on Azurite, hourly layers, median of {runs} runs (ms); /oncall is another rotation's, read in a loop");
Console.WriteLine($"{"size",-10}{"shifts",8}{"ledger rows",13}{"PUT create",12}{"PUT same",10}{"PUT changed",13}{"DELETE",9}");
foreach (var r in rows)
{
    Console.WriteLine($"{r.Name,-10}{r.Shifts,8}{r.LedgerRows,13}{r.Create,12:F0}{r.Unchanged,10:F1}{r.Changed,13:F0}{r.Delete,9:F1}");
}

var small = rows[0];
var big = rows[^1];
double PerShift(double large, double few) => (large - few) * 1000 / (big.Shifts - small.Shifts);
Console.WriteLine($"growth per shift (largest - ~100) / {big.Shifts - small.Shifts} shifts: create {PerShift(big.Create, small.Create):F1} µs, unchanged {PerShift(big.Unchanged, small.Unchanged):F2} µs, changed {PerShift(big.Changed, small.Changed):F1} µs, delete {PerShift(big.Delete, small.Delete):F2} µs");
Console.WriteLine($"ratio largest / ~100 ({(double)big.Shifts / small.Shifts:F0}x the shifts): create {big.Create / small.Create:F1}x, unchanged {big.Unchanged / small.Unchanged:F1}x, changed {big.Changed / small.Changed:F1}x, delete {big.Delete / small.Delete:F1}x   (goal: largest PUT and DELETE <= 5000 ms)");
Console.WriteLine($"/oncall alone: p50 {Percentile(idle, 0.5):F1} ms, p99 {Percentile(idle, 0.99):F1} ms ({idle.Count} requests)");
Console.WriteLine($"/oncall during the largest PUT: p50 {Percentile(duringPut, 0.5):F1} ms, p99 {Percentile(duringPut, 0.99):F1} ms, max {duringPut.DefaultIfEmpty().Max():F1} ms ({duringPut.Count} requests)");
Console.WriteLine($"/oncall during the largest DELETE: p50 {Percentile(duringDelete, 0.5):F1} ms, p99 {Percentile(duringDelete, 0.99):F1} ms, max {duringDelete.DefaultIfEmpty().Max():F1} ms ({duringDelete.Count} requests)");
return 0;

// Times the write; when asked, reads /oncall of another rotation in a loop meanwhile and keeps the latencies.
static async Task<double> TimeAsync(BenchApp app, Func<Task> write, List<double>? oncall)
{
    using var stop = new CancellationTokenSource();
    var reader = oncall is null ? Task.CompletedTask : Task.Run(async () =>
    {
        while (!stop.IsCancellationRequested)
        {
            oncall.Add(await app.OnCallAsync());
        }
    });
    var watch = Stopwatch.StartNew();
    await write();
    watch.Stop();
    stop.Cancel();
    await reader;
    return watch.Elapsed.TotalMilliseconds;
}

static JsonObject Rotation(string id, string shiftLength, int layers, string horizon)
{
    var members = new JsonArray(
        new JsonObject { ["name"] = "Ada", ["email"] = "ada@example.com" },
        new JsonObject { ["name"] = "Lin", ["email"] = "lin@example.com" },
        new JsonObject { ["name"] = "Sam", ["email"] = "sam@example.com" });
    return new JsonObject
    {
        ["id"] = id,
        ["name"] = $"Bench {id}",
        ["timeZone"] = "America/New_York",
        ["supervisor"] = new JsonObject { ["name"] = "Dana Lee", ["email"] = "dana@example.com" },
        ["horizon"] = horizon,
        ["layers"] = new JsonArray([.. Enumerable.Range(0, layers).Select(i => (JsonNode)new JsonObject
        {
            ["name"] = $"l{i}",
            ["shiftLength"] = shiftLength,
            ["handoffTime"] = "10:00",
            ["anchor"] = "2026-01-05",
            ["members"] = members.DeepClone(),
        })]),
    };
}

static double Median(IEnumerable<double> values) => Percentile([.. values], 0.5);

static double Percentile(List<double> values, double p)
{
    if (values.Count == 0)
    {
        return double.NaN;
    }

    var sorted = values.Order().ToList();
    return sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];
}

/// <summary>The app on Kestrel at a free loopback port, timers off, as the tests' TestApp.</summary>
internal sealed class BenchApp : IAsyncDisposable
{
    private const string Key = "bench-admin-key-0123456789";
    private readonly WebApplication _app;
    private readonly HttpClient _client;
    private readonly HttpClient _reader;

    private BenchApp(WebApplication app, Uri address)
    {
        _app = app;
        _client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromMinutes(10) };
        _client.DefaultRequestHeaders.Add("x-functions-key", Key);
        _reader = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromMinutes(10) };
        _reader.DefaultRequestHeaders.Add("x-functions-key", Key);
    }

    public static async Task<BenchApp> StartAsync(string connectionString)
    {
        var settings = new Dictionary<string, string>
        {
            ["urls"] = "http://127.0.0.1:0",
            ["AzureWebJobsStorage"] = connectionString,
            ["OnCall:AdminKey"] = Key,
            ["OnCall:Storage:Prefix"] = AzuriteFixture.NewPrefix(),
            ["AzureWebJobs.PlanHandoffs.Disabled"] = "true",
            ["AzureWebJobs.FlagMissedHandoffs.Disabled"] = "true",
            ["AzureWebJobs.PruneFeedLedger.Disabled"] = "true",
            ["AzureWebJobs.SyncCalendars.Disabled"] = "true",
            ["AzureWebJobs.RemindStatuspageOpen.Disabled"] = "true",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        var app = OnCallApplication.Build([.. settings.Select(p => $"--{p.Key}={p.Value}")]);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new BenchApp(app, new Uri(address));
    }

    public async Task SendAsync(HttpMethod method, string path, JsonObject? body)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        }

        using var response = await _client.SendAsync(request);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"{method} {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
    }

    public async Task<double> OnCallAsync()
    {
        var watch = Stopwatch.StartNew();
        using var response = await _reader.GetAsync("/api/rotations/small/oncall");
        await response.Content.ReadAsByteArrayAsync();
        response.EnsureSuccessStatusCode();
        return watch.Elapsed.TotalMilliseconds;
    }

    /// <summary>Entries the rotation's ledger holds (from its state row) and the rows they take.</summary>
    public async Task<(int Entries, int Rows)> LedgerAsync(string rotationId)
    {
        var table = await _app.Services.GetRequiredService<TableProvider>().GetAsync(TableFeedLedger.TableName);
        int entries = 0, rows = 0;
        await foreach (var row in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {rotationId}"), select: ["RowKey", "Entries"]))
        {
            rows++;
            entries += row.GetInt32("Entries") ?? 0;
        }

        return (entries, rows);
    }

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        _reader.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
