using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

// Cold start: process start to the first 200 on /api/health, for the app and for a bare minimal API started
// the same way, alternating, in one run. Prints each median and their ratio. Each is a published executable
// (its apphost), or a .dll started with `dotnet`.
// Usage: ColdStart <app> <bare> <storage connection string> [runs]
if (args.Length < 3)
{
    Console.Error.WriteLine("Usage: ColdStart <app executable or .dll> <bare executable or .dll> <storage connection string> [runs]");
    return 2;
}

var runs = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 15;
var app = new List<double>();
var bare = new List<double>();
using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };

// One untimed start of each warms the OS file cache, as a deployed instance's disk would be.
await MeasureAsync(args[0]);
await MeasureAsync(args[1]);
for (var i = 0; i < runs; i++)
{
    app.Add(await MeasureAsync(args[0]));
    bare.Add(await MeasureAsync(args[1]));
}

var appMedian = Median(app);
var bareMedian = Median(bare);
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"runs: {runs} each, alternating"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"OnCall.Functions  median {appMedian,7:F0} ms  (min {app.Min():F0}, max {app.Max():F0})"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"bare minimal API  median {bareMedian,7:F0} ms  (min {bare.Min():F0}, max {bare.Max():F0})"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ratio (app / bare): {appMedian / bareMedian:F2}x"));
return 0;

async Task<double> MeasureAsync(string program)
{
    var port = FreePort();
    var viaDotnet = program.EndsWith(".dll", StringComparison.OrdinalIgnoreCase);
    var start = new ProcessStartInfo(viaDotnet ? "dotnet" : program) { RedirectStandardOutput = true, RedirectStandardError = true };
    foreach (var argument in (viaDotnet ? new[] { program } : []).Concat(["--urls", $"http://127.0.0.1:{port}"]))
    {
        start.ArgumentList.Add(argument);
    }

    start.Environment["AzureWebJobsStorage"] = args[2];
    start.Environment["OnCall__AdminKey"] = "cold-start-benchmark-key";
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
        while (clock.Elapsed < TimeSpan.FromSeconds(60))
        {
            try
            {
                using var response = await http.GetAsync(new Uri($"http://127.0.0.1:{port}/api/health"));
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return clock.Elapsed.TotalMilliseconds;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(2);
        }

        throw new TimeoutException($"{program} gave no 200 on /api/health within 60 s.");
    }
    finally
    {
        process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();
    }
}

static int FreePort()
{
    using var listener = new TcpListener(IPAddress.Loopback, 0);
    listener.Start();
    return ((IPEndPoint)listener.LocalEndpoint).Port;
}

static double Median(List<double> values)
{
    var sorted = values.Order().ToList();
    return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
}
