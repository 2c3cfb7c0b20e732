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
/// The deployable package, artifacts/functionapp.zip from scripts/publish.sh: unpacked, its SDK-generated metadata
/// checked against the catalogue, and its executable started standalone.
/// </summary>
[Collection(StorageTests.Collection)]
[SupportedOSPlatform("linux")]
public sealed class PackageTests(AzuriteFixture azurite, PackageFixture package, ITestOutputHelper output) : IClassFixture<PackageFixture>
{
    // Flex Consumption allows 30 s for app initialization.
    private static readonly TimeSpan StartLimit = TimeSpan.FromSeconds(30);

    [Fact]
    public void Package_FunctionsMetadata_IsTheBuildsAndTheCatalogues()
    {
        var packaged = FunctionsMetadata.Read(Path.Combine(package.Root, "functions.metadata"));

        Assert.Equal(FunctionCatalogue.Default.All.Select(f => f.Name).Order(StringComparer.Ordinal), packaged.Select(f => f.Name).Order(StringComparer.Ordinal));
        Assert.Equal(
            FunctionsMetadata.Read().Select(f => (f.Name, f.EntryPoint, string.Join(";", f.Bindings))).Order(),
            packaged.Select(f => (f.Name, f.EntryPoint, string.Join(";", f.Bindings))).Order());
    }

    [Fact]
    public void Package_WorkerConfig_StartsTheWorkerDllWithDotnet()
    {
        var description = JsonNode.Parse(File.ReadAllText(Path.Combine(package.Root, "worker.config.json")))!["description"]!;

        Assert.Equal(("dotnet-isolated", "dotnet", "OnCall.Functions.dll"), (
            description["language"]!.GetValue<string>(), description["defaultExecutablePath"]!.GetValue<string>(), description["defaultWorkerPath"]!.GetValue<string>()));
        Assert.True(File.Exists(Path.Combine(package.Root, "OnCall.Functions.dll")), "OnCall.Functions.dll is not in the package");
    }

    [Fact]
    public void Package_Extensions_HoldTheQueueTriggerForTheHost()
    {
        // HTTP and timer triggers are built into the host; the queue trigger is an extension the SDK builds into
        // .azurefunctions/ and lists in extensions.json, where the host loads it from.
        var extensions = JsonNode.Parse(File.ReadAllText(Path.Combine(package.Root, "extensions.json")))!["extensions"]!.AsArray();

        var queues = extensions.Single(e => e!["name"]!.GetValue<string>() == "AzureStorageQueues")!;
        Assert.True(File.Exists(Path.Combine(package.Root, queues["hintPath"]!.GetValue<string>())), $"{queues["hintPath"]} is not in the package");
    }

    [Fact]
    public void Package_HostJson_IsAtTheRootWithoutACustomHandler()
    {
        var host = JsonNode.Parse(File.ReadAllText(Path.Combine(package.Root, "host.json")))!.AsObject();

        Assert.False(host.ContainsKey("customHandler"));
        Assert.Equal("api", host["extensions"]!["http"]!["routePrefix"]!.GetValue<string>());
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
    public void Package_LocalSettings_AreNotShipped() =>
        Assert.False(File.Exists(Path.Combine(package.Root, LocalSettings.FileName)), "local.settings.json holds secrets and must not ship");

    [Fact]
    public async Task Executable_Standalone_AnswersHealth()
    {
        var port = FreePort.Next();
        await using var app = AppProcess.Start(package.Root, ["--urls", $"http://127.0.0.1:{port}"], new Dictionary<string, string>
        {
            ["AzureWebJobsStorage"] = azurite.ConnectionString,
            ["OnCall__Storage__Prefix"] = AzuriteFixture.NewPrefix(),
            ["OnCall__AdminKey"] = TestApp.AdminKey,
        });
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(10) };

        var started = await app.WaitUntilListeningAsync(client, StartLimit);
        output.WriteLine($"The app answered HTTP {started.TotalMilliseconds:F0} ms after its process started.");

        using var health = await client.GetAsync("/api/health");
        Assert.True(health.StatusCode == HttpStatusCode.OK, $"{health.StatusCode}\n{app.Output}");
    }

    /// <summary>The executable run from the package root, settings in the environment.</summary>
    private sealed class AppProcess : IAsyncDisposable
    {
        private readonly Process _process;
        private readonly StringBuilder _output = new();
        private readonly Stopwatch _sinceStart;

        private AppProcess(Process process, Stopwatch sinceStart)
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

        public static AppProcess Start(string root, IEnumerable<string> arguments, IDictionary<string, string> environment)
        {
            var start = new ProcessStartInfo(Path.Combine(root, PackageFixture.Executable))
            {
                WorkingDirectory = root,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            foreach (var argument in arguments)
            {
                start.ArgumentList.Add(argument);
            }

            foreach (var (name, value) in environment)
            {
                start.Environment[name] = value;
            }

            var sinceStart = Stopwatch.StartNew();
            var started = new AppProcess(Process.Start(start)!, sinceStart);
            started._process.OutputDataReceived += (_, e) => started.Append(e.Data);
            started._process.ErrorDataReceived += (_, e) => started.Append(e.Data);
            started._process.BeginOutputReadLine();
            started._process.BeginErrorReadLine();
            return started;
        }

        /// <summary>Time from process start until the app answers HTTP.</summary>
        public async Task<TimeSpan> WaitUntilListeningAsync(HttpClient client, TimeSpan limit)
        {
            while (_sinceStart.Elapsed < limit)
            {
                if (_process.HasExited)
                {
                    Assert.Fail($"The app exited with code {_process.ExitCode}.\n{Output}");
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
