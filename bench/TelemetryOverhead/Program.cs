using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using OnCall.TestSupport;

// Issue 19: what OpenTelemetry costs on GET /api/rotations/{id}/oncall (p50, p99, CPU a request) and on incident
// ingest (POST /api/incidents at concurrency 8: throughput, p99, CPU a request). Three copies of the app's own
// executable run side by side, each on an Azurite of its own (an Azurite slows down as it fills, and ingest fills it,
// so a shared one would make every copy pay for the others' incidents) with a rotation:
//   off        OTEL_SDK_DISABLED=true: the SDK's no-op providers, no spans, metrics or logs recorded (the baseline);
//   collected  the default: spans, metrics and logs recorded in-process, exported nowhere;
//   exported   the same, exported over OTLP/HTTP (protobuf) to a receiver in this process;
//   off-again  the baseline once more, so the A/A ratio off-again / off shows how much the machine's noise alone moves.
// Each round measures every copy, in an order rotated from round to round, so drift hits all three alike.
var rounds = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 7;
var onCallCount = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 2000;
var ingestCount = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 500;
const int IngestConcurrency = 8;

await using var receiver = await OtlpReceiver.StartAsync();

var variants = new Variant[]
{
    // The endpoint is set here too, to a port of its own: nothing arriving there shows the SDK really is off.
    new("off", "OTEL_SDK_DISABLED=true (OTLP endpoint set, to show nothing is sent)", new()
    {
        ["OTEL_SDK_DISABLED"] = "true",
        ["OTEL_EXPORTER_OTLP_ENDPOINT"] = receiver.ControlEndpoint.AbsoluteUri.TrimEnd('/'),
        ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
    }),
    new("collected", "OpenTelemetry on, no exporter (the app's default)", []),
    new("exported", "OTLP http/protobuf to a receiver on loopback", new()
    {
        ["OTEL_EXPORTER_OTLP_ENDPOINT"] = receiver.ExportEndpoint.AbsoluteUri.TrimEnd('/'),
        ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
    }),
};

// A second copy of the baseline, measured like the others: the spread of its ratio to 'off' is the noise floor.
variants = [.. variants, variants[0] with { Name = "off-again", Description = "the baseline again, for an A/A ratio (the noise floor)" }];

var apps = new List<BenchedApp>();
var azurites = new List<AzuriteProcess>();
try
{
    foreach (var variant in variants)
    {
        azurites.Add(await AzuriteProcess.StartAsync());
        apps.Add(await BenchedApp.StartAsync(variant, azurites[^1].ConnectionString));
    }

    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"Telemetry overhead: {apps.Count} copies of the app, each on its own Azurite, {rounds} rounds, order rotated each round; per round and copy: {onCallCount} sequential GET /oncall, {ingestCount} POST /api/incidents at concurrency {IngestConcurrency}"));
    foreach (var variant in variants)
    {
        Console.WriteLine($"  {variant.Name,-10} {variant.Description}");
    }

    // Warm-up: one round of the same size, not counted (JIT tiering, connections, tables and queues created on first use).
    foreach (var app in apps)
    {
        await Load.SequentialAsync(app.OnCallAsync, onCallCount);
        await Load.ConcurrentAsync(app.IngestAsync, IngestConcurrency, ingestCount);
    }

    Console.WriteLine($"load average before the rounds: {LoadAverage()}");

    var results = variants.ToDictionary(v => v.Name, _ => new List<RoundResult>());
    var pooledOnCall = variants.ToDictionary(v => v.Name, _ => new List<TimeSpan>());
    var pooledIngest = variants.ToDictionary(v => v.Name, _ => new List<TimeSpan>());
    Console.WriteLine();
    Console.WriteLine($"{"round",-6}{"copy",-11}{"oncall p50",11}{"oncall p99",11}{"cpu/req",10}{"ingest/s",10}{"ingest p50",11}{"ingest p99",11}{"cpu/req",10}");
    for (var round = 0; round < rounds; round++)
    {
        var order = Enumerable.Range(0, apps.Count).Select(i => apps[(i + round) % apps.Count]).ToList();
        var onCall = new Dictionary<string, Phase>();
        var ingest = new Dictionary<string, Phase>();
        foreach (var app in order)
        {
            onCall[app.Variant.Name] = await app.MeasureAsync(() => Load.SequentialAsync(app.OnCallAsync, onCallCount));
        }

        foreach (var app in order)
        {
            ingest[app.Variant.Name] = await app.MeasureAsync(() => Load.ConcurrentAsync(app.IngestAsync, IngestConcurrency, ingestCount));
        }

        foreach (var variant in variants)
        {
            var (o, i) = (onCall[variant.Name], ingest[variant.Name]);
            results[variant.Name].Add(new RoundResult(o, i));
            pooledOnCall[variant.Name].AddRange(o.Latencies);
            pooledIngest[variant.Name].AddRange(i.Latencies);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{round + 1,-6}{variant.Name,-11}{Ms(o.P50),11}{Ms(o.P99),11}{Ms(o.CpuPerRequest, 2),10}{i.Rate,10:F0}{Ms(i.P50),11}{Ms(i.P99),11}{Ms(i.CpuPerRequest, 2),10}"));
        }
    }

    // Ratios to a baseline measured in the same round; > 1 is slower. Ingest throughput is compared as time per
    // request (baseline rate / copy's rate), so every column reads the same way.
    var measures = new (string Name, Func<RoundResult, double> Value)[]
    {
        ("oncall p50", r => r.OnCall.P50.TotalMilliseconds),
        ("oncall p99", r => r.OnCall.P99.TotalMilliseconds),
        ("oncall cpu", r => r.OnCall.CpuPerRequest.TotalMilliseconds),
        ("ingest 1/rate", r => 1 / r.Ingest.Rate),
        ("ingest p99", r => r.Ingest.P99.TotalMilliseconds),
        ("ingest cpu", r => r.Ingest.CpuPerRequest.TotalMilliseconds),
    };
    Console.WriteLine();
    Console.WriteLine($"ratios per round, min / median / max over {rounds} rounds (goal <= 1.05)");
    Console.WriteLine($"{"",-22}{string.Concat(measures.Select(m => $"{m.Name,20}"))}");
    foreach (var (copy, baseline) in new[] { ("collected", "off"), ("exported", "off"), ("exported", "collected"), ("off-again", "off") })
    {
        var cells = measures.Select(m =>
        {
            var ratios = results[copy].Zip(results[baseline], (c, b) => m.Value(c) / m.Value(b)).Order().ToList();
            return string.Create(CultureInfo.InvariantCulture, $"{ratios[0]:F2}/{Median(ratios):F2}/{ratios[^1]:F2}");
        });
        Console.WriteLine($"{copy + " / " + baseline,-22}{string.Concat(cells.Select(c => $"{c,20}"))}");
    }

    Console.WriteLine($"load average after the rounds: {LoadAverage()}");
    Console.WriteLine();
    Console.WriteLine("all rounds pooled, and the median of the rounds' rates and CPU:");
    foreach (var variant in variants)
    {
        var o = Phase.Percentiles(pooledOnCall[variant.Name]);
        var i = Phase.Percentiles(pooledIngest[variant.Name]);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {variant.Name,-10} oncall p50 {Ms(o.P50)}, p99 {Ms(o.P99)}, cpu {Median(results[variant.Name].Select(r => r.OnCall.CpuPerRequest.TotalMilliseconds)):F2} ms/req ({pooledOnCall[variant.Name].Count} requests);  ingest {Median(results[variant.Name].Select(r => r.Ingest.Rate)):F0}/s, p50 {Ms(i.P50)}, p99 {Ms(i.P99)}, cpu {Median(results[variant.Name].Select(r => r.Ingest.CpuPerRequest.TotalMilliseconds)):F2} ms/req ({pooledIngest[variant.Name].Count} requests)"));
    }

    // The batch processors export spans and logs every 5 s and 1 s, metrics every 60 s: wait for the last batches.
    var exported = apps.Single(a => a.Variant.Name == "exported");
    await Task.Delay(TimeSpan.FromSeconds(7));
    Console.WriteLine();
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"OTLP receiver, from 'exported' ({exported.OnCallRequests} GET /oncall and {exported.IngestRequests} ingests sent to it, warm-up included):"));
    foreach (var line in receiver.Report(receiver.ExportEndpoint.Port))
    {
        Console.WriteLine("  " + line);
    }

    var control = receiver.Report(receiver.ControlEndpoint.Port);
    Console.WriteLine(control.Count == 0 ? "  from 'off' (endpoint set, SDK disabled): nothing" : "  from 'off': " + string.Join("; ", control));
    return 0;
}
finally
{
    foreach (var app in apps)
    {
        await app.DisposeAsync();
    }

    foreach (var azurite in azurites)
    {
        await azurite.DisposeAsync();
    }
}

static string Ms(TimeSpan t, int decimals = 1) => t.TotalMilliseconds.ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture) + " ms";

static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

static double Median(IEnumerable<double> values)
{
    var sorted = values.Order().ToList();
    return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
}

internal sealed record Variant(string Name, string Description, Dictionary<string, string> Environment);

internal sealed record RoundResult(Phase OnCall, Phase Ingest);

/// <summary>One copy's share of a round: its requests' latencies and the CPU its process used meanwhile.</summary>
internal sealed record Phase(List<TimeSpan> Latencies, TimeSpan Elapsed, TimeSpan Cpu)
{
    public double Rate => Latencies.Count / Elapsed.TotalSeconds;

    public TimeSpan P50 => Percentiles(Latencies).P50;

    public TimeSpan P99 => Percentiles(Latencies).P99;

    public TimeSpan CpuPerRequest => Cpu / Latencies.Count;

    public static (TimeSpan P50, TimeSpan P99) Percentiles(List<TimeSpan> latencies)
    {
        var sorted = latencies.Order().ToList();
        TimeSpan At(double q) => sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(q * sorted.Count) - 1)];
        return (At(0.5), At(0.99));
    }
}

internal static class Load
{
    public static async Task<List<TimeSpan>> SequentialAsync(Func<Task<TimeSpan>> call, int count)
    {
        var latencies = new List<TimeSpan>(count);
        for (var i = 0; i < count; i++)
        {
            latencies.Add(await call());
        }

        return latencies;
    }

    public static async Task<List<TimeSpan>> ConcurrentAsync(Func<Task<TimeSpan>> call, int concurrency, int count)
    {
        var latencies = new List<TimeSpan>(count);
        var remaining = count;
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
        return latencies;
    }
}

/// <summary>
/// The app's own executable (Release build output, server GC as deployed), started standalone on its Azurite with a
/// rotation, timers and queue functions off, and the shipped log levels.
/// </summary>
internal sealed class BenchedApp : IAsyncDisposable
{
    private const string AdminKey = "bench-admin-key-0123456789";
    private const string Secret = "bench-webhook-secret-0123456789";
    private const string Rotation = """
        {"id":"platform","name":"Platform on-call","timeZone":"America/New_York","supervisor":{"name":"Dana Lee","email":"dana@example.com"},
         "layers":[{"name":"primary","shiftLength":"P7D","handoffTime":"10:00","anchor":"2026-11-02",
           "members":[{"name":"Ada","email":"ada@example.com"},{"name":"Lin","email":"lin@example.com"}]}]}
        """;

    private readonly Process _process;
    private readonly HttpClient _client;
    private readonly Queue<string> _lastLines = new();
    private int _sequence;
    private int _onCallRequests;
    private int _ingestRequests;

    private BenchedApp(Variant variant, Process process, Uri address)
    {
        Variant = variant;
        _process = process;
        _client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 64 }) { BaseAddress = address };
        _client.DefaultRequestHeaders.Add("x-functions-key", AdminKey);
    }

    public Variant Variant { get; }

    public int OnCallRequests => _onCallRequests;

    public int IngestRequests => _ingestRequests;

    public static async Task<BenchedApp> StartAsync(Variant variant, string connectionString)
    {
        var executable = RepositoryRoot.File("src", "OnCall.Functions", "bin", "Release", "net10.0", "OnCall.Functions");
        var port = FreePort.Next();
        var start = new ProcessStartInfo(executable) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Path.GetDirectoryName(executable)! };
        var environment = new Dictionary<string, string>
        {
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}",
            ["AzureWebJobsStorage"] = connectionString,
            ["OnCall__AdminKey"] = AdminKey,
            ["OnCall__Storage__Prefix"] = AzuriteFixture.NewPrefix(),
            ["OnCall__WebhookSecrets__Generic"] = Secret,
            ["OnCall__Incidents__DefaultRotation"] = "platform",
        };
        foreach (var function in new[] { "PlanHandoffs", "FlagMissedHandoffs", "SyncCalendars", "PruneFeedLedger", "RemindStatuspageOpen", "CheckCoverage", "ProcessIncidentEvent", "CheckRotationCoverage" })
        {
            environment[$"AzureWebJobs__{function}__Disabled"] = "true";
        }

        // Whatever the shell running the bench has set must not switch a copy's exporters on or off.
        foreach (var name in new[] { "OTEL_SDK_DISABLED", "OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_PROTOCOL", "APPLICATIONINSIGHTS_CONNECTION_STRING" })
        {
            start.Environment.Remove(name);
        }

        foreach (var (name, value) in environment.Concat(variant.Environment))
        {
            start.Environment[name] = value;
        }

        var app = new BenchedApp(variant, Process.Start(start)!, new Uri($"http://127.0.0.1:{port}"));
        app._process.OutputDataReceived += (_, e) => app.Keep(e.Data);
        app._process.ErrorDataReceived += (_, e) => app.Keep(e.Data);
        app._process.BeginOutputReadLine();
        app._process.BeginErrorReadLine();
        var waited = Stopwatch.StartNew();
        while (!app._process.HasExited && waited.Elapsed < TimeSpan.FromSeconds(60))
        {
            try
            {
                using var health = await app._client.GetAsync(new Uri("/api/health", UriKind.Relative));
                if (health.IsSuccessStatusCode)
                {
                    await app.PutRotationAsync();
                    return app;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(200);
        }

        var output = app.Output();
        await app.DisposeAsync();
        throw new InvalidOperationException($"'{variant.Name}' did not start within 60 s: {output}");
    }

    public async Task<TimeSpan> OnCallAsync()
    {
        Interlocked.Increment(ref _onCallRequests);
        var started = Stopwatch.GetTimestamp();
        using var response = await _client.GetAsync(new Uri("/api/rotations/platform/oncall", UriKind.Relative));
        _ = await response.Content.ReadAsByteArrayAsync();
        var elapsed = Stopwatch.GetElapsedTime(started);
        return (int)response.StatusCode == 200 ? elapsed : throw new InvalidOperationException($"'{Variant.Name}' /oncall answered {(int)response.StatusCode}: {Output()}");
    }

    public async Task<TimeSpan> IngestAsync()
    {
        Interlocked.Increment(ref _ingestRequests);
        var key = Interlocked.Increment(ref _sequence);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/api/incidents", UriKind.Relative))
        {
            Content = new StringContent($$"""{"title":"Bench alert {{key}}","severity":"major","dedupKey":"bench-{{key}}","service":"api","components":["api"]}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Secret);
        var started = Stopwatch.GetTimestamp();
        using var response = await _client.SendAsync(request);
        _ = await response.Content.ReadAsByteArrayAsync();
        var elapsed = Stopwatch.GetElapsedTime(started);
        return (int)response.StatusCode == 202 ? elapsed : throw new InvalidOperationException($"'{Variant.Name}' ingest answered {(int)response.StatusCode}: {Output()}");
    }

    /// <summary>Runs <paramref name="load"/> and the CPU time (user + system, every thread) the app's process used meanwhile.</summary>
    public async Task<Phase> MeasureAsync(Func<Task<List<TimeSpan>>> load)
    {
        var cpu = CpuTime();
        var started = Stopwatch.GetTimestamp();
        var latencies = await load();
        var elapsed = Stopwatch.GetElapsedTime(started);
        return new Phase(latencies, elapsed, CpuTime() - cpu);
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

    private TimeSpan CpuTime()
    {
        _process.Refresh();
        return _process.TotalProcessorTime;
    }

    private async Task PutRotationAsync()
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, new Uri("/api/rotations/platform", UriKind.Relative))
        {
            Content = new StringContent(Rotation, Encoding.UTF8, "application/json"),
        };
        using var response = await _client.SendAsync(request);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"'{Variant.Name}' PUT rotation answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_lastLines)
        {
            _lastLines.Enqueue(line);
            if (_lastLines.Count > 40)
            {
                _lastLines.Dequeue();
            }
        }
    }

    private string Output()
    {
        lock (_lastLines)
        {
            return string.Join(Environment.NewLine, _lastLines);
        }
    }
}
