using System.Diagnostics;
using System.IO.Compression;
using System.Net;
using System.Runtime.Versioning;
using System.Text;
using System.Text.Json.Nodes;
using OnCall.Functions.Catalogue;
using OnCall.Functions.Hosting;
using OnCall.TestSupport;
using Xunit.Abstractions;

namespace OnCall.Functions.Tests;

/// <summary>
/// The deployable package, artifacts/functionapp.zip from scripts/publish.sh: unpacked, checked against the catalogue,
/// and its executable started the way the Functions host starts a custom handler.
/// </summary>
[Collection(StorageTests.Collection)]
[SupportedOSPlatform("linux")]
public sealed class PackageTests(AzuriteFixture azurite, PackageFixture package, ITestOutputHelper output) : IClassFixture<PackageFixture>
{
    // The Functions host gives a custom handler 60 s to listen; the Flex Consumption plan allows 30 s for app
    // initialization, so the stricter of the two is the bar.
    private static readonly TimeSpan StartLimit = TimeSpan.FromSeconds(30);

    [Fact]
    public void Package_FunctionFolders_MatchCatalogue()
    {
        var folders = Directory.GetDirectories(package.Root)
            .Where(d => File.Exists(Path.Combine(d, "function.json")))
            .Select(d => Path.GetFileName(d))
            .Order(StringComparer.Ordinal);

        Assert.Equal(FunctionCatalogue.Default.All.Select(f => f.Name).Order(StringComparer.Ordinal), folders);
        Assert.All(FunctionCatalogue.Default.All, f => Assert.True(
            JsonNode.DeepEquals(FunctionMetadataWriter.ToJson(f), JsonNode.Parse(File.ReadAllText(Path.Combine(package.Root, f.Name, "function.json")))),
            $"{f.Name}/function.json differs from the catalogue"));
    }

    [Fact]
    public void Package_HostJson_NamesTheExecutableAtTheRoot()
    {
        var host = JsonNode.Parse(File.ReadAllText(Path.Combine(package.Root, "host.json")))!;

        var executable = host["customHandler"]!["description"]!["defaultExecutablePath"]!.GetValue<string>();

        Assert.Equal(PackageFixture.Executable, executable);
        Assert.True(File.Exists(Path.Combine(package.Root, executable)), $"{executable} is not in the package");
    }

    [Fact]
    public void Package_Executable_HasTheExecutableBit()
    {
        // What Azure unpacks is the zip's own permission bits, so check those as well as the extracted file.
        var zipMode = (UnixFileMode)((package.ExecutableExternalAttributes >> 16) & 0x1FF);

        Assert.True(zipMode.HasFlag(UnixFileMode.UserExecute), $"the zip entry's mode is {zipMode}");
        Assert.True(File.GetUnixFileMode(Path.Combine(package.Root, PackageFixture.Executable)).HasFlag(UnixFileMode.UserExecute));
    }

    [Fact]
    public void Package_Runtime_IsSelfContainedForLinux()
    {
        // The Functions image for custom handlers has no .NET runtime: the package must bring its own.
        Assert.True(File.Exists(Path.Combine(package.Root, "libcoreclr.so")), "libcoreclr.so missing: not a self-contained linux-x64 publish");
        Assert.False(File.Exists(Path.Combine(package.Root, LocalSettings.FileName)), "local.settings.json holds secrets and must not ship");
    }

    [Fact]
    public async Task Executable_UnderFunctionsHost_StartsInTimeAndAnswersTimerAndProxiedHttp()
    {
        var port = FreePort.Next();
        await using var handler = HandlerProcess.Start(package.Root, new Dictionary<string, string>
        {
            [HostingMode.PortSetting] = $"{port}",
            ["AzureWebJobsStorage"] = azurite.ConnectionString,
            ["OnCall__Storage__Prefix"] = AzuriteFixture.NewPrefix(),
        });
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(10) };

        var started = await handler.WaitUntilListeningAsync(client, StartLimit);
        output.WriteLine($"The handler answered HTTP {started.TotalMilliseconds:F0} ms after its process started.");

        Assert.True(started < StartLimit, $"started in {started.TotalSeconds:F1} s\n{handler.Output}");
        using var timer = await client.PostAsync("/PruneFeedLedger", new StringContent("""{"Data":{"timer":{}},"Metadata":{}}""", Encoding.UTF8, "application/json"));
        var timerBody = JsonNode.Parse(await timer.Content.ReadAsStringAsync())!.AsObject();
        Assert.True(timer.StatusCode == HttpStatusCode.OK, $"{timer.StatusCode} {timerBody}\n{handler.Output}");
        Assert.Equal(["Outputs", "Logs", "ReturnValue"], timerBody.Select(p => p.Key));
        using var health = await client.GetAsync("/api/health");
        Assert.True(health.StatusCode == HttpStatusCode.OK, $"{health.StatusCode}\n{handler.Output}");
    }

    /// <summary>The executable run as the Functions host runs it: from the package root, settings in the environment.</summary>
    private sealed class HandlerProcess : IAsyncDisposable
    {
        private readonly Process _process;
        private readonly StringBuilder _output = new();
        private readonly Stopwatch _sinceStart;

        private HandlerProcess(Process process, Stopwatch sinceStart)
        {
            _process = process;
            _sinceStart = sinceStart;
        }

        public string Output
        {
            get
            {
                lock (_output)
                {
                    return _output.ToString();
                }
            }
        }

        public static HandlerProcess Start(string root, IDictionary<string, string> environment)
        {
            var start = new ProcessStartInfo(Path.Combine(root, PackageFixture.Executable))
            {
                WorkingDirectory = root,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            foreach (var (name, value) in environment)
            {
                start.Environment[name] = value;
            }

            var sinceStart = Stopwatch.StartNew();
            var handler = new HandlerProcess(Process.Start(start)!, sinceStart);
            handler._process.OutputDataReceived += (_, e) => handler.Append(e.Data);
            handler._process.ErrorDataReceived += (_, e) => handler.Append(e.Data);
            handler._process.BeginOutputReadLine();
            handler._process.BeginErrorReadLine();
            return handler;
        }

        /// <summary>Time from process start until the handler answers HTTP, as the host waits for it.</summary>
        public async Task<TimeSpan> WaitUntilListeningAsync(HttpClient client, TimeSpan limit)
        {
            while (_sinceStart.Elapsed < limit)
            {
                if (_process.HasExited)
                {
                    Assert.Fail($"The handler exited with code {_process.ExitCode}.\n{Output}");
                }

                try
                {
                    using var response = await client.GetAsync("/api/health");
                    return _sinceStart.Elapsed;
                }
                catch (HttpRequestException)
                {
                    await Task.Delay(50);
                }
            }

            return _sinceStart.Elapsed;
        }

        public async ValueTask DisposeAsync()
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }

            _process.Dispose();
        }

        private void Append(string? line)
        {
            if (line is not null)
            {
                lock (_output)
                {
                    _output.AppendLine(line);
                }
            }
        }
    }
}

/// <summary>
/// The package, unpacked once for the class: the zip scripts/test.sh built (ONCALL_PACKAGE), or, when the tests run
/// on their own, one scripts/publish.sh builds now.
/// </summary>
public sealed class PackageFixture : IAsyncLifetime
{
    public const string Executable = "OnCall.Functions";
    public const string PackageVariable = "ONCALL_PACKAGE";

    private DirectoryInfo? _workspace;

    /// <summary>Where the package is unpacked.</summary>
    public string Root { get; private set; } = "";

    /// <summary>The zip entry's external attributes: the Unix mode in the high 16 bits.</summary>
    public int ExecutableExternalAttributes { get; private set; }

    public async Task InitializeAsync()
    {
        _workspace = Directory.CreateTempSubdirectory("package-");
        var zip = Environment.GetEnvironmentVariable(PackageVariable) is { Length: > 0 } given
            ? Path.GetFullPath(given, RepositoryRoot.Path)
            : await PublishAsync(Path.Combine(_workspace.FullName, "functionapp.zip"));
        Assert.True(File.Exists(zip), $"{zip} does not exist");

        using (var archive = ZipFile.OpenRead(zip))
        {
            ExecutableExternalAttributes = (archive.GetEntry(Executable) ?? throw new InvalidOperationException($"{Executable} is not at the root of {zip}")).ExternalAttributes;
        }

        Root = Path.Combine(_workspace.FullName, "root");
        ZipFile.ExtractToDirectory(zip, Root);
    }

    public Task DisposeAsync()
    {
        _workspace?.Delete(recursive: true);
        return Task.CompletedTask;
    }

    private static async Task<string> PublishAsync(string zip)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(RepositoryRoot.File("scripts", "publish.sh"));
        start.ArgumentList.Add(zip);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(10));
        await process.WaitForExitAsync(timeout.Token);
        Assert.True(process.ExitCode == 0, $"scripts/publish.sh failed:\n{await output}{await error}");
        return zip;
    }
}
