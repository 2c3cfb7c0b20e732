using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using OnCall.Core.CalendarSync;
using OnCall.Functions;
using OnCall.TestSupport;

// Part 1: Google Calendar API requests per sync, beside the naive way (delete every event, insert every event).
// Part 2: the ICS feed: storage writes of a GET (must be 0), 304 and full-feed latency, /oncall under feed load, memory.
var largest = !args.Contains("--no-largest");
var onlyLargest = args.Contains("--only-largest");
await using var azurite = await AzuriteProcess.StartAsync();
if (args.Contains("--memory"))
{
    await MemoryAsync(azurite.ConnectionString, onlyGoogle: args.Contains("--only-google"), timeline: args.Contains("--timeline"));
    return 0;
}

if (!onlyLargest)
{
    await using var google = new FakeGoogleCalendar();
    await google.StartAsync();
    await GoogleRequestsAsync(azurite.ConnectionString, google);
}

await FeedAsync(azurite.ConnectionString, largest, onlyLargest);
return 0;

static async Task GoogleRequestsAsync(string connectionString, FakeGoogleCalendar google)
{
    var settings = new Dictionary<string, string>
    {
        ["OnCall:Google:ServiceAccountJson"] = google.ServiceAccountJson,
        ["OnCall:Google:BaseUrl"] = google.BaseAddress.AbsoluteUri,
    };
    await using var app = await BenchApp.StartAsync(connectionString, settings);
    var sync = app.Service<CalendarSyncService>();
    const string Calendar = "bench@group.calendar.google.com";

    // Two daily layers, four people each, a year ahead: about 730 events.
    var rotation = Rotation(Calendar);
    await app.PutAsync(rotation);

    async Task<(int Requests, int Calls, int Pages, int Batches)> MeasureAsync(Func<Task> change)
    {
        await change();
        var requests = google.ApiRequests.Count;
        var calls = google.Calls.Count;
        await sync.SyncAllAsync();
        var made = google.ApiRequests.Skip(requests).ToList();
        return (made.Count, google.Calls.Count - calls, made.Count(r => r.Method == "GET"), made.Count(r => r.Path == "/batch/calendar/v3"));
    }

    var initial = await MeasureAsync(() => Task.CompletedTask);
    var n = google.EventsIn(Calendar).Count;
    var echo = await MeasureAsync(() => Task.CompletedTask);
    var noop = await MeasureAsync(() => Task.CompletedTask);
    var day = DateTimeOffset.UtcNow.Date.AddDays(20);
    await sync.SyncAllAsync();
    var one = await MeasureAsync(() => app.PostAsync("/api/rotations/bench/overrides", new JsonObject
    {
        ["layer"] = "primary",
        ["start"] = Iso(day.AddHours(15)),
        ["end"] = Iso(day.AddDays(1).AddHours(15)),
        ["member"] = new JsonObject { ["name"] = "Sam", ["email"] = "sam@example.com" },
        ["reason"] = "swap",
    }));
    var kimFuture = google.EventsIn(Calendar).Values.Count(e =>
        e["summary"]!.GetValue<string>().StartsWith("On call: Kim", StringComparison.Ordinal)
        && DateTimeOffset.Parse(e["start"]!["dateTime"]!.GetValue<string>(), CultureInfo.InvariantCulture) > DateTimeOffset.UtcNow.AddDays(1));
    await sync.SyncAllAsync();
    rotation["layers"]![0]!["members"]!.AsArray().RemoveAt(3);
    var leaves = await MeasureAsync(() => app.PutAsync(rotation));

    var pages = (n + 249) / 250;
    var naiveBatches = 2 * ((n + 49) / 50);
    Console.WriteLine($"Google Calendar sync, one rotation of {n} events (2 daily layers, horizon one year), batch size 50");
    Console.WriteLine($"{"scenario",-34}{"requests",10}{"list",6}{"batch",7}{"calls",7}{"naive requests",16}{"naive calls",13}");
    void Row(string name, (int Requests, int Calls, int Pages, int Batches) r, int naiveRequests, int naiveCalls) =>
        Console.WriteLine($"{name,-34}{r.Requests,10}{r.Pages,6}{r.Batches,7}{r.Calls,7}{naiveRequests,16}{naiveCalls,13}");
    Row($"initial sync ({n} shifts)", initial, pages + ((n + 49) / 50), n);
    Row("next run (reads back its writes)", echo, pages + naiveBatches, 2 * n);
    Row("no change", noop, pages + naiveBatches, 2 * n);
    Row("one override (one shift)", one, pages + naiveBatches, 2 * n);
    Row($"member removed ({kimFuture} future shifts)", leaves, pages + naiveBatches, 2 * n);
    Console.WriteLine($"expected: initial = ceil({n}/50) = {(n + 49) / 50} batches + list pages; no change = 1 request, 0 calls; one override = 1 list + 1 batch of <= 2 calls");
    Console.WriteLine();
}

static async Task FeedAsync(string connectionString, bool largest, bool onlyLargest)
{
    var counter = new WriteCounter();
    await using var app = await BenchApp.StartAsync(connectionString, [], counter);
    if (!onlyLargest)
    {
        await HourlyAsync(app, counter);
    }

    if (largest)
    {
        await LargestAsync(app, connectionString);
    }
}

static async Task HourlyAsync(BenchApp app, WriteCounter counter)
{
    // 1-hour shifts, a year ahead: about 9,500 events, as in issue #10.
    var hourly = Rotation(null, "hourly", "PT1H", layers: 1);
    var put = Stopwatch.StartNew();
    var created = await app.PutAsync(hourly);
    put.Stop();
    var url = created["feedUrl"]!.GetValue<string>();

    counter.Reset();
    var cold = await TimeAsync(() => app.Client.GetAsync(url));
    var events = CountEvents(await app.Client.GetStringAsync(url));
    var warm = new List<double>();
    string? etag = null;
    for (var i = 0; i < 20; i++)
    {
        warm.Add(await TimeAsync(async () =>
        {
            var response = await app.Client.GetAsync(url);
            etag = response.Headers.ETag!.Tag;
            return response;
        }));
    }

    var notModified = new List<double>();
    for (var i = 0; i < 50; i++)
    {
        notModified.Add(await TimeAsync(() =>
        {
            var request = new HttpRequestMessage(HttpMethod.Get, url);
            request.Headers.TryAddWithoutValidation("If-None-Match", etag);
            return app.Client.SendAsync(request);
        }));
    }

    var writes = counter.Writes;

    // /oncall latency while 8 clients fetch the feed in a loop: plain, then as calendar apps do, asking for gzip.
    async Task<List<double>> OnCallUnderLoadAsync(bool gzip)
    {
        using var stop = new CancellationTokenSource();
        var load = Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            using var client = new HttpClient(new SocketsHttpHandler { AutomaticDecompression = gzip ? DecompressionMethods.GZip : DecompressionMethods.None }) { BaseAddress = app.Client.BaseAddress };
            while (!stop.IsCancellationRequested)
            {
                using var r = await client.GetAsync(url, HttpCompletionOption.ResponseContentRead);
            }
        })).ToList();
        await Task.Delay(500);
        var latencies = new List<double>();
        for (var i = 0; i < 200; i++)
        {
            latencies.Add(await TimeAsync(() => app.Reader.GetAsync("/api/rotations/hourly/oncall")));
        }

        stop.Cancel();
        await Task.WhenAll(load.Select(t => t.ContinueWith(_ => { }, TaskScheduler.Default)));
        return latencies;
    }

    var idle = new List<double>();
    for (var i = 0; i < 200; i++)
    {
        idle.Add(await TimeAsync(() => app.Reader.GetAsync("/api/rotations/hourly/oncall")));
    }

    var oncall = await OnCallUnderLoadAsync(gzip: false);
    var oncallGzip = await OnCallUnderLoadAsync(gzip: true);

    Console.WriteLine($"ICS feed, 1-hour shifts, horizon one year: {events} events");
    Console.WriteLine($"  PUT rotation (reconciles the state inline)    {put.Elapsed.TotalMilliseconds,8:F0} ms");
    Console.WriteLine($"  first GET (builds the body)                   {cold,8:F0} ms");
    Console.WriteLine($"  GET, median of 20 (body kept per version)     {Median(warm),8:F1} ms   (goal <= 300 ms)");
    Console.WriteLine($"  304, median / p99 of 50                       {Median(notModified),8:F2} / {Percentile(notModified, 0.99):F2} ms   (goal <= 5 ms)");
    Console.WriteLine($"  storage writes by those {2 + 20 + 50} GETs              {writes,8}        (must be 0)");
    Console.WriteLine($"  /oncall alone: median {Median(idle):F1} ms, p99 {Percentile(idle, 0.99):F1} ms");
    Console.WriteLine($"  /oncall under 8 concurrent feed GETs: median {Median(oncall):F1} ms, p99 {Percentile(oncall, 0.99):F1} ms   (goal p99 <= 50 ms)");
    Console.WriteLine($"  /oncall under 8 concurrent gzip feed GETs: median {Median(oncallGzip):F1} ms, p99 {Percentile(oncallGzip, 0.99):F1} ms");
}

static async Task LargestAsync(BenchApp app, string connectionString)
{
    // The largest valid rotation: 10 layers of 1-hour shifts, a year ahead (about 88,000 events). Stored through the
    // in-process app; its feed is then served by the app's own executable in a process of its own (server GC, as
    // deployed), so the peak resident memory (VmHWM) is the app's alone: not the bench's, nor the PUT's.
    var big = Rotation(null, "largest", "PT1H", layers: 10);
    var put = Stopwatch.StartNew();
    var url = (await app.PutAsync(big))["feedUrl"]!.GetValue<string>();
    put.Stop();
    var path = new Uri(url).PathAndQuery;

    await using var server = await AppProcess.StartAsync(connectionString, app.Prefix);
    var before = server.Memory();
    var first = await server.GetFeedAsync(path, gzip: false);
    var afterFirst = server.Memory();
    var again = await server.GetFeedAsync(path, gzip: false);
    var gzipped = await server.GetFeedAsync(path, gzip: true);
    var after = server.Memory();

    Console.WriteLine($"Largest feed: 10 layers of 1-hour shifts, a year ahead: {first.Bytes / 1e6:F1} MB ({gzipped.Bytes / 1e6:F1} MB gzipped)");
    Console.WriteLine($"  PUT rotation {put.Elapsed.TotalSeconds:F1} s (in the bench's process)");
    Console.WriteLine($"  app in its own process: first GET {first.Elapsed.TotalSeconds:F1} s, again {again.Elapsed.TotalMilliseconds:F0} ms, gzip {gzipped.Elapsed.TotalMilliseconds:F0} ms");
    Console.WriteLine($"  app resident memory: {before.Rss / 1e6:F0} MB started, {afterFirst.Rss / 1e6:F0} MB after the first GET, {after.Rss / 1e6:F0} MB after all three");
    Console.WriteLine($"  app peak resident memory (VmHWM), start-up included: {after.Peak / 1e6:F0} MB   (goal <= 200 MB)");
}

static async Task MemoryAsync(string connectionString, bool onlyGoogle, bool timeline)
{
    // The largest valid rotation through every path that touches its whole calendar state, each path in a fresh
    // process of the app's own executable, so each peak (VmHWM, start-up included) is that path's alone.
    Console.WriteLine($"Peak resident memory (VmHWM) of the app's own process, per path, largest valid rotation (10 layers of 1-hour shifts, a year ahead)");
    Console.WriteLine($"load average before: {File.ReadAllText("/proc/loadavg").Trim()}");
    var prefix = AzuriteFixture.NewPrefix();
    var big = Rotation(null, "largest", "PT1H", layers: 10);
    Console.WriteLine($"{"path",-58}{"started",9}{"peak",8}{"time",9}");

    async Task<string> MeasureAsync(string name, Func<AppProcess, Task<string>> work, Dictionary<string, string>? settings = null)
    {
        await using var server = await AppProcess.StartAsync(connectionString, prefix, settings);
        var started = server.Memory();
        var watch = Stopwatch.StartNew();
        using var sampling = new CancellationTokenSource();
        var samples = timeline ? server.SampleAsync(TimeSpan.FromSeconds(1), sampling.Token) : Task.FromResult("");
        var result = await work(server);
        watch.Stop();
        await sampling.CancelAsync();
        var after = server.Memory();
        Console.WriteLine($"{name,-58}{started.Peak / 1e6,6:F0} MB{after.Peak / 1e6,5:F0} MB{watch.Elapsed.TotalSeconds,7:F1} s");
        if (timeline)
        {
            Console.WriteLine($"  resident MB each second (total=anonymous+file+shared): {await samples}");
        }

        return result;
    }

    var url = await MeasureAsync("PUT /api/rotations/largest (create, reconciles)", async s =>
        JsonNode.Parse(await s.SendAsync(HttpMethod.Put, "/api/rotations/largest", big))!["feedUrl"]!.GetValue<string>());
    if (!onlyGoogle)
    {
        await OtherPathsAsync(new Uri(url).PathAndQuery);
    }

    await GooglePathsAsync();
    if (!onlyGoogle)
    {
        await DeleteAndPruneAsync();
    }

    Console.WriteLine($"load average after: {File.ReadAllText("/proc/loadavg").Trim()}");

    async Task OtherPathsAsync(string feed)
    {
        await MeasureAsync("GET feed: first (builds the body), again, gzip", async s =>
        {
            var first = await s.GetFeedAsync(feed, gzip: false);
            await s.GetFeedAsync(feed, gzip: false);
            var gzipped = await s.GetFeedAsync(feed, gzip: true);
            return $"{first.Bytes} {gzipped.Bytes}";
        });

        // Every layer's members in reverse order: nearly every shift changes person, so nearly every entry is revised.
        foreach (var layer in big["layers"]!.AsArray())
        {
            var members = layer!["members"]!.AsArray();
            var reversed = members.Reverse().Select(m => m!.DeepClone()).ToList();
            members.Clear();
            reversed.ForEach(members.Add);
        }

        await MeasureAsync("PUT /api/rotations/largest (members reordered, reconciles)", s =>
            s.SendAsync(HttpMethod.Put, "/api/rotations/largest", big));
        await MeasureAsync("POST /api/ops/run/SyncCalendars (reconciles, no calendar)", s =>
            s.SendAsync(HttpMethod.Post, "/api/ops/run/SyncCalendars", null));
    }

    async Task GooglePathsAsync()
    {
        // The same rotation with a Google calendar (a fake of the API, in this process): the first sync inserts every
        // event of the window, the next finds nothing to do.
        await using (var google = new FakeGoogleCalendar())
        {
            await google.StartAsync();
            var googleSettings = new Dictionary<string, string>
            {
                ["OnCall__Google__ServiceAccountJson"] = google.ServiceAccountJson,
                ["OnCall__Google__BaseUrl"] = google.BaseAddress.AbsoluteUri,
            };
            big["calendarId"] = "largest@group.calendar.google.com";
            await MeasureAsync("PUT /api/rotations/largest (a Google calendar set)", s =>
                s.SendAsync(HttpMethod.Put, "/api/rotations/largest", big), googleSettings);
            await MeasureAsync("POST /api/ops/run/SyncCalendars (Google: first, inserts all)", async s =>
            {
                await s.SendAsync(HttpMethod.Post, "/api/ops/run/SyncCalendars", null);
                Console.WriteLine($"  {await s.SendAsync(HttpMethod.Get, "/api/rotations/largest/sync", null)}");
                return "";
            }, googleSettings);
            await MeasureAsync("POST /api/ops/run/SyncCalendars (Google: again, no-op)", async s =>
            {
                await s.SendAsync(HttpMethod.Post, "/api/ops/run/SyncCalendars", null);
                Console.WriteLine($"  {await s.SendAsync(HttpMethod.Get, "/api/rotations/largest/sync", null)}");
                return "";
            }, googleSettings);
            Console.WriteLine($"  events in the fake calendar: {google.EventsIn("largest@group.calendar.google.com").Count}");
            big["calendarId"] = null;
        }
    }

    async Task DeleteAndPruneAsync()
    {
        await MeasureAsync("DELETE /api/rotations/largest", s => s.SendAsync(HttpMethod.Delete, "/api/rotations/largest", null));

        // For the prune: the same rotation created 40 days ago (by the bench's in-process app on a clock set back), so
        // about 9,000 of its entries ended before the prune's cutoff (the feed's lookback + 1 day = 16 days ago).
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow.AddDays(-40)) { AutoAdvanceAmount = TimeSpan.Zero };
        await using (var past = await BenchApp.StartAsync(connectionString, [], prefix: prefix, clock: clock))
        {
            big["id"] = "largest-old";
            await past.PutAsync(big);
        }

        await MeasureAsync("POST /api/ops/run/PruneFeedLedger (entries of 40 days)", s =>
            s.SendAsync(HttpMethod.Post, "/api/ops/run/PruneFeedLedger", null));
    }
}

static JsonObject Rotation(string? calendarId, string id = "bench", string shiftLength = "P1D", int layers = 2)
{
    var members = new JsonArray(
        new JsonObject { ["name"] = "Ada", ["email"] = "ada@example.com" },
        new JsonObject { ["name"] = "Lin", ["email"] = "lin@example.com" },
        new JsonObject { ["name"] = "Sam", ["email"] = "sam@example.com" },
        new JsonObject { ["name"] = "Kim", ["email"] = "kim@example.com" });
    var names = new[] { "primary", "secondary", "l3", "l4", "l5", "l6", "l7", "l8", "l9", "l10" };
    return new JsonObject
    {
        ["id"] = id,
        ["name"] = $"Bench {id}",
        ["timeZone"] = "America/New_York",
        ["supervisor"] = new JsonObject { ["name"] = "Dana Lee", ["email"] = "dana@example.com" },
        ["calendarId"] = calendarId,
        ["horizon"] = "P52W",
        ["layers"] = new JsonArray([.. names.Take(layers).Select((name, i) => (JsonNode)new JsonObject
        {
            ["name"] = name,
            ["shiftLength"] = shiftLength,
            ["handoffTime"] = "10:00",
            ["anchor"] = "2026-01-05",
            ["offset"] = shiftLength == "P1D" ? "P0D" : "PT0H",
            ["members"] = members.DeepClone(),
        })]),
    };
}

static async Task<double> TimeAsync(Func<Task<HttpResponseMessage>> call)
{
    var watch = Stopwatch.StartNew();
    using var response = await call();
    await response.Content.ReadAsByteArrayAsync();
    watch.Stop();
    if (!response.IsSuccessStatusCode && response.StatusCode != HttpStatusCode.NotModified)
    {
        throw new InvalidOperationException($"HTTP {(int)response.StatusCode}");
    }

    return watch.Elapsed.TotalMilliseconds;
}

static int CountEvents(string ics) => ics.Split("BEGIN:VEVENT").Length - 1;

static double Median(List<double> values) => Percentile(values, 0.5);

static double Percentile(List<double> values, double p)
{
    var sorted = values.Order().ToList();
    return sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];
}

static string Iso(DateTimeOffset t) => t.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

/// <summary>Counts table requests that write (anything but GET), to show a feed GET writes nothing.</summary>
internal sealed class WriteCounter : HttpPipelineSynchronousPolicy
{
    private int _writes;

    public int Writes => _writes;

    public void Reset() => _writes = 0;

    public override void OnSendingRequest(HttpMessage message)
    {
        if (message.Request.Method != RequestMethod.Get)
        {
            Interlocked.Increment(ref _writes);
        }
    }
}

/// <summary>The app on Kestrel at a free loopback port, timers off, as the tests' TestApp.</summary>
internal sealed class BenchApp : IAsyncDisposable
{
    public const string Key = "bench-admin-key-0123456789";
    private readonly WebApplication _app;

    private BenchApp(WebApplication app, Uri address, string prefix)
    {
        _app = app;
        Prefix = prefix;
        Client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromMinutes(10) };
        Reader = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromMinutes(10) };
        Reader.DefaultRequestHeaders.Add("x-functions-key", Key);
    }

    public HttpClient Client { get; }

    public HttpClient Reader { get; }

    /// <summary>The table and queue prefix of this app's data.</summary>
    public string Prefix { get; }

    public T Service<T>()
        where T : notnull => _app.Services.GetRequiredService<T>();

    public static async Task<BenchApp> StartAsync(
        string connectionString, Dictionary<string, string> extra, WriteCounter? counter = null, string? prefix = null, TimeProvider? clock = null)
    {
        var settings = new Dictionary<string, string>
        {
            ["urls"] = "http://127.0.0.1:0",
            ["AzureWebJobsStorage"] = connectionString,
            ["OnCall:AdminKey"] = Key,
            ["OnCall:Storage:Prefix"] = prefix ?? AzuriteFixture.NewPrefix(),
            ["AzureWebJobs.PlanHandoffs.Disabled"] = "true",
            ["AzureWebJobs.FlagMissedHandoffs.Disabled"] = "true",
            ["AzureWebJobs.PruneFeedLedger.Disabled"] = "true",
            ["AzureWebJobs.SyncCalendars.Disabled"] = "true",
            ["AzureWebJobs.RemindStatuspageOpen.Disabled"] = "true",
            ["AzureWebJobs.CheckCoverage.Disabled"] = "true",
            ["AzureWebJobs.CheckRotationCoverage.Disabled"] = "true",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        foreach (var (k, v) in extra)
        {
            settings[k] = v;
        }

        var app = OnCallApplication.Build([.. settings.Select(p => $"--{p.Key}={p.Value}")], builder =>
        {
            if (counter is not null)
            {
                var options = new TableClientOptions();
                options.AddPolicy(counter, HttpPipelinePosition.PerCall);
                builder.Services.AddSingleton(new TableServiceClient(connectionString, options));
            }

            if (clock is not null)
            {
                builder.Services.AddSingleton(clock);
            }
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new BenchApp(app, new Uri(address), settings["OnCall:Storage:Prefix"]);
    }

    public async Task<JsonObject> PutAsync(JsonObject rotation)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, $"/api/rotations/{rotation["id"]}") { Content = new StringContent(rotation.ToJsonString(), Encoding.UTF8, "application/json") };
        request.Headers.Add("x-functions-key", Key);
        using var response = await Client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return response.IsSuccessStatusCode ? JsonNode.Parse(text)!.AsObject() : throw new InvalidOperationException($"PUT: {(int)response.StatusCode} {text}");
    }

    public async Task PostAsync(string path, JsonObject body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json") };
        request.Headers.Add("x-functions-key", Key);
        using var response = await Client.SendAsync(request);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"POST {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        Reader.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

/// <summary>The app's own executable (from its build output) serving the data of a <see cref="BenchApp"/>.</summary>
internal sealed class AppProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly HttpClient _client;
    private readonly StringBuilder _output = new();

    private AppProcess(Process process, Uri address)
    {
        _process = process;
        _client = new HttpClient(new SocketsHttpHandler { AutomaticDecompression = DecompressionMethods.None }) { BaseAddress = address, Timeout = TimeSpan.FromMinutes(10) };
    }

    public static async Task<AppProcess> StartAsync(string connectionString, string prefix, Dictionary<string, string>? settings = null)
    {
        // BENCH_APP: another build of the executable, e.g. the deployable package's (artifacts/functionapp/OnCall.Functions,
        // ReadyToRun, from scripts/publish.sh).
        var executable = Environment.GetEnvironmentVariable("BENCH_APP") is { Length: > 0 } other
            ? Path.GetFullPath(other)
            : RepositoryRoot.File("src", "OnCall.Functions", "bin", "Release", "net10.0", "OnCall.Functions");
        var port = FreePort.Next();
        var start = new ProcessStartInfo(executable) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Path.GetDirectoryName(executable)! };
        foreach (var (name, value) in new Dictionary<string, string>
        {
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}",
            ["AzureWebJobsStorage"] = connectionString,
            ["OnCall__AdminKey"] = BenchApp.Key,
            ["OnCall__Storage__Prefix"] = prefix,
            ["AzureWebJobs__PlanHandoffs__Disabled"] = "true",
            ["AzureWebJobs__FlagMissedHandoffs__Disabled"] = "true",
            ["AzureWebJobs__PruneFeedLedger__Disabled"] = "true",
            ["AzureWebJobs__SyncCalendars__Disabled"] = "true",
            ["AzureWebJobs__RemindStatuspageOpen__Disabled"] = "true",
            ["AzureWebJobs__CheckCoverage__Disabled"] = "true",
            ["AzureWebJobs__CheckRotationCoverage__Disabled"] = "true",
            ["Logging__LogLevel__Default"] = "Warning",
        })
        {
            start.Environment[name] = value;
        }

        foreach (var (name, value) in settings ?? [])
        {
            start.Environment[name] = value;
        }

        var server = new AppProcess(Process.Start(start)!, new Uri($"http://127.0.0.1:{port}"));
        server._process.OutputDataReceived += (_, e) => server.Append(e.Data);
        server._process.ErrorDataReceived += (_, e) => server.Append(e.Data);
        server._process.BeginOutputReadLine();
        server._process.BeginErrorReadLine();
        var waited = Stopwatch.StartNew();
        while (!server._process.HasExited && waited.Elapsed < TimeSpan.FromSeconds(60))
        {
            try
            {
                using var health = await server._client.GetAsync("/api/health");
                if (health.IsSuccessStatusCode)
                {
                    return server;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(200);
        }

        await server.DisposeAsync();
        throw new InvalidOperationException($"The app did not start within 60 s: {server._output}");
    }

    /// <summary>Resident memory now and its peak so far, from /proc (Linux).</summary>
    public (long Rss, long Peak) Memory()
    {
        var status = File.ReadAllLines($"/proc/{_process.Id}/status");
        long Kilobytes(string field) => long.Parse(status.Single(l => l.StartsWith(field + ":", StringComparison.Ordinal))[(field.Length + 1)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
        return (Kilobytes("VmRSS"), Kilobytes("VmHWM"));
    }

    /// <summary>
    /// Resident memory in MB every <paramref name="interval"/> until cancelled, as one line of
    /// <c>total=anonymous+file-backed+shared</c>: the app's own allocations, the mapped images (DLLs, native
    /// libraries), and JIT-compiled code (double-mapped through shared memory for W^X).
    /// </summary>
    public async Task<string> SampleAsync(TimeSpan interval, CancellationToken cancellationToken)
    {
        var samples = new List<string>();
        using var timer = new PeriodicTimer(interval);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                var status = File.ReadAllLines($"/proc/{_process.Id}/status");
                long Megabytes(string field) => long.Parse(status.Single(l => l.StartsWith(field + ":", StringComparison.Ordinal))[(field.Length + 1)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) / 1000;
                samples.Add(string.Create(CultureInfo.InvariantCulture, $"{Megabytes("VmRSS")}={Megabytes("RssAnon")}+{Megabytes("RssFile")}+{Megabytes("RssShmem")}"));
            }
        }
        catch (OperationCanceledException)
        {
            // Sampling ends with the measured work.
        }

        return string.Join(' ', samples);
    }

    /// <summary>An admin request; returns the body, throws on anything but a success.</summary>
    public async Task<string> SendAsync(HttpMethod method, string path, JsonObject? body)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        }

        request.Headers.Add("x-functions-key", BenchApp.Key);
        using var response = await _client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return response.IsSuccessStatusCode ? text : throw new InvalidOperationException($"{method} {path}: {(int)response.StatusCode} {text}");
    }

    public async Task<(long Bytes, TimeSpan Elapsed)> GetFeedAsync(string pathAndQuery, bool gzip)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, pathAndQuery);
        if (gzip)
        {
            request.Headers.TryAddWithoutValidation("Accept-Encoding", "gzip");
        }

        var watch = Stopwatch.StartNew();
        using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        var bytes = 0L;
        await using (var body = await response.Content.ReadAsStreamAsync())
        {
            var buffer = new byte[81920];
            int read;
            while ((read = await body.ReadAsync(buffer)) > 0)
            {
                bytes += read;
            }
        }

        return (bytes, watch.Elapsed);
    }

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }
}
