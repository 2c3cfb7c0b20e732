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
// An optional second build of the app (e.g. the code before a change) is measured in the same alternation, so a
// before/after comparison sees the same noise.
// Usage: ColdStart <app executable or .dll> <bare executable or .dll> <storage connection string> [runs] [other app build]
if (args.Length < 3)
{
    Console.Error.WriteLine("Usage: ColdStart <app> <bare> <storage connection string> [runs] [other app build]   (executables or .dlls)");
    return 2;
}

const string AdminKey = "cold-start-benchmark-key";
using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
var runs = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 15;
var app = new Target("OnCall.Functions", args[0], "/api/rotations", StoreRotationAsync);
var bare = new Target("bare minimal API", args[1], "/api/items/cold-start", _ => Task.CompletedTask);
Target[] targets = args.Length > 4 ? [app, bare, new Target("other app build", args[4], app.Route, _ => Task.CompletedTask)] : [app, bare];

Console.WriteLine($"load average before: {LoadAverage()}");

// One untimed start of each warms the OS file cache, as a deployed instance's disk would be, and leaves storage as
// the timed starts find it: the app's rotation stored, the bare API's table created.
foreach (var target in targets)
{
    await MeasureAsync(target, setup: true);
}

for (var i = 0; i < runs; i++)
{
    // Alternating, so all see the same noise from the rest of the machine.
    foreach (var target in targets)
    {
        target.Add(await MeasureAsync(target, setup: false));
    }
}

Console.WriteLine($"load average after:  {LoadAverage()}");
Console.WriteLine($"runs: {runs} each, alternating; ms from process start, min / median / max");
Console.WriteLine($"{"",-18} {"port open",22}   {"first 200 (one storage call)",28}");
foreach (var target in targets)
{
    Console.WriteLine($"{target.Name,-18} {Summary(target.PortOpen),22}   {Summary(target.FirstResponse),28}");
}

foreach (var target in targets.Where(t => t != bare))
{
    Console.WriteLine(string.Create(
        CultureInfo.InvariantCulture,
        $"ratio of medians ({target.Name} / bare): first 200 {Median(target.FirstResponse) / Median(bare.FirstResponse):F2}x, "
        + $"port open {Median(target.PortOpen) / Median(bare.PortOpen):F2}x"));
}
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
            var body = await response.Content.ReadAsStringAsync();
            throw new InvalidOperationException($"{target.Name}: GET {target.Route} answered {(int)response.StatusCode}: {body}");
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
        var body = await response.Content.ReadAsStringAsync();
        throw new InvalidOperationException($"PUT rotation answered {(int)response.StatusCode}: {body}");
    }
}

static int FreePort()
{
    using var listener = new TcpListener(IPAddress.Loopback, 0);
    listener.Start();
    return ((IPEndPoint)listener.LocalEndpoint).Port;
}

static string LoadAverage() =>
    File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

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
