using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

// Cold start: process start to the first 200 on a route that makes one storage call, for the app and for a bare
// minimal API started the same way, alternating, in one run. Each is a published executable (its apphost), or a
// .dll started with `dotnet`. Also times process start to the port accepting a connection.
// The app's route is GET /api/rotations (one query of the rotations table, holding the one rotation the untimed first
// start stores); the bare API's is GET /api/items/{id} (one Table Storage point read).
// Usage: ColdStart <app executable or .dll> <bare executable or .dll> <storage connection string> [runs]
if (args.Length < 3)
{
    Console.Error.WriteLine("Usage: ColdStart <app executable or .dll> <bare executable or .dll> <storage connection string> [runs]");
    return 2;
}

const string AdminKey = "cold-start-benchmark-key";
using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
var runs = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 15;
var app = new Target("OnCall.Functions", args[0], "/api/rotations", StoreRotationAsync);
var bare = new Target("bare minimal API", args[1], "/api/items/cold-start", _ => Task.CompletedTask);

Console.WriteLine($"load average before: {LoadAverage()}");

// One untimed start of each warms the OS file cache, as a deployed instance's disk would be, and leaves storage as
// the timed starts find it: the app's rotation stored, the bare API's table created.
await MeasureAsync(app, setup: true);
await MeasureAsync(bare, setup: true);
for (var i = 0; i < runs; i++)
{
    // Alternating, so both see the same noise from the rest of the machine.
    app.Add(await MeasureAsync(app, setup: false));
    bare.Add(await MeasureAsync(bare, setup: false));
}

Console.WriteLine($"load average after:  {LoadAverage()}");
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"runs: {runs} each, alternating; ms from process start, min / median / max"));
Console.WriteLine($"{"",-18} {"port open",22}   {"first 200 (one storage call)",28}");
foreach (var target in new[] { app, bare })
{
    Console.WriteLine($"{target.Name,-18} {Summary(target.PortOpen),22}   {Summary(target.FirstResponse),28}");
}

Console.WriteLine(string.Create(
    CultureInfo.InvariantCulture,
    $"ratio of medians (app / bare): first 200 {Median(app.FirstResponse) / Median(bare.FirstResponse):F2}x, port open {Median(app.PortOpen) / Median(bare.PortOpen):F2}x"));
return 0;

async Task<(double PortOpen, double FirstResponse)> MeasureAsync(Target target, bool setup)
{
    var port = FreePort();
    var viaDotnet = target.Program.EndsWith(".dll", StringComparison.OrdinalIgnoreCase);
    var start = new ProcessStartInfo(viaDotnet ? "dotnet" : target.Program) { RedirectStandardOutput = true, RedirectStandardError = true };
    foreach (var argument in (viaDotnet ? new[] { target.Program } : []).Concat(["--urls", $"http://127.0.0.1:{port}"]))
    {
        start.ArgumentList.Add(argument);
    }

    start.Environment["AzureWebJobsStorage"] = args[2];
    start.Environment["OnCall__AdminKey"] = AdminKey;
    start.Environment["OnCall__Storage__Prefix"] = "bench";
    start.Environment["Logging__LogLevel__Default"] = "Warning";

    var clock = Stopwatch.StartNew();
    using var process = Process.Start(start)!;
    process.OutputDataReceived += (_, _) => { };
    process.ErrorDataReceived += (_, _) => { };
    process.BeginOutputReadLine();
    process.BeginErrorReadLine();
    try
    {
        var portOpen = await WaitForPortAsync(port, clock);
        var baseAddress = new Uri($"http://127.0.0.1:{port}");
        if (setup)
        {
            await target.SetupAsync(baseAddress);
        }

        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(baseAddress, target.Route));
        request.Headers.Add("x-functions-key", AdminKey);
        using var response = await http.SendAsync(request);
        var firstResponse = clock.Elapsed.TotalMilliseconds;
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"{target.Name}: GET {target.Route} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }

        return (portOpen, firstResponse);
    }
    finally
    {
        process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();
    }
}

static async Task<double> WaitForPortAsync(int port, Stopwatch clock)
{
    while (clock.Elapsed < TimeSpan.FromSeconds(60))
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            await socket.ConnectAsync(IPAddress.Loopback, port);
            return clock.Elapsed.TotalMilliseconds;
        }
        catch (SocketException)
        {
            // Not listening yet.
        }

        await Task.Delay(1);
    }

    throw new TimeoutException($"Nothing listened on port {port} within 60 s.");
}

async Task StoreRotationAsync(Uri baseAddress)
{
    const string rotation = """
        {"id":"cold-start","name":"Cold start","timeZone":"Europe/Berlin","horizon":"P90D",
        "supervisor":{"name":"Dana Lee","email":"dana@example.com"},"layers":[{"name":"primary",
        "shiftLength":"P7D","handoffTime":"10:00","anchor":"2026-01-05","members":[{"name":"Ada","email":"ada@example.com"},
        {"name":"Lin","email":"lin@example.com"}]}]}
        """;
    using var request = new HttpRequestMessage(HttpMethod.Put, new Uri(baseAddress, "/api/rotations/cold-start"));
    request.Headers.Add("x-functions-key", AdminKey);
    request.Content = new StringContent(rotation, Encoding.UTF8, "application/json");
    using var response = await http.SendAsync(request);
    if (!response.IsSuccessStatusCode)
    {
        throw new InvalidOperationException($"PUT rotation answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }
}

static int FreePort()
{
    using var listener = new TcpListener(IPAddress.Loopback, 0);
    listener.Start();
    return ((IPEndPoint)listener.LocalEndpoint).Port;
}

static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

static string Summary(List<double> values) =>
    string.Create(CultureInfo.InvariantCulture, $"{values.Min(),4:F0} / {Median(values),4:F0} / {values.Max(),4:F0}");

static double Median(List<double> values)
{
    var sorted = values.Order().ToList();
    return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
}

internal sealed record Target(string Name, string Program, string Route, Func<Uri, Task> SetupAsync)
{
    public List<double> PortOpen { get; } = [];

    public List<double> FirstResponse { get; } = [];

    public void Add((double PortOpen, double FirstResponse) run)
    {
        PortOpen.Add(run.PortOpen);
        FirstResponse.Add(run.FirstResponse);
    }
}
