using System.Text.Json;

namespace OnCall.FunctionsHostFake;

/// <summary>How the fake host starts the worker process, and how long it waits for it.</summary>
public sealed class FakeHostOptions
{
    /// <summary>The executable: "dotnet" (the worker.config.json default) or the app's own apphost.</summary>
    public required string FileName { get; init; }

    /// <summary>
    /// Arguments before the host's own, e.g. the app's dll path for "dotnet". The host's arguments
    /// (<c>--host --port --workerId --requestId --grpcMaxMessageLength --functions-uri ...</c>) are appended after them.
    /// </summary>
    public IReadOnlyList<string> Arguments { get; init; } = [];

    /// <summary>
    /// The function app's directory (script root): the app's build or publish output, where worker.config.json,
    /// host.json and the app's dll are. Sent as <c>function_app_directory</c> and <c>worker_directory</c>, and set as
    /// FUNCTIONS_APPLICATION_DIRECTORY and FUNCTIONS_WORKER_DIRECTORY, as the host does.
    /// </summary>
    public required string FunctionAppDirectory { get; init; }

    /// <summary>The worker's working directory; the host uses the script root, which is the default here.</summary>
    public string? WorkingDirectory { get; init; }

    /// <summary>
    /// App settings for the worker, set as environment variables over those of the test process (which the worker
    /// inherits, as a worker inherits the host's). A null value removes an inherited variable.
    /// FUNCTIONS_WORKER_RUNTIME defaults to dotnet-isolated.
    /// </summary>
    public IReadOnlyDictionary<string, string?> EnvironmentVariables { get; init; } = new Dictionary<string, string?>();

    /// <summary>From process start to every function loaded.</summary>
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Per invocation, from sending the request to the worker's response (and, for HTTP, the proxied response).</summary>
    public TimeSpan InvocationTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Sent as <c>WorkerInitRequest.host_version</c>; the default is the host version whose source this fake follows.</summary>
    public string HostVersion { get; init; } = "4.1037.0.0";

    /// <summary>
    /// The address the host is reached at, used for relative HTTP request URIs and for the request's Host header
    /// (default http://localhost:7071/, the Core Tools default).
    /// </summary>
    public Uri HostBaseAddress { get; init; } = new("http://localhost:7071/");

    /// <summary>
    /// Whether <see cref="FakeFunctionsHost.StartAsync"/> throws when a function would be in error under the real host
    /// (invalid name or bindings, a %setting% that does not resolve, a missing connection, a bad schedule, a failed load).
    /// When false, such functions are listed in <see cref="FakeFunctionsHost.FunctionErrors"/> and invoking them throws.
    /// </summary>
    public bool FailOnFunctionErrors { get; init; } = true;

    /// <summary>
    /// Options the way the host reads them from the app's worker.config.json (<c>description.defaultExecutablePath</c>,
    /// <c>description.defaultWorkerPath</c> made absolute against the app directory, <c>description.arguments</c>).
    /// "dotnet" becomes the dotnet that runs the tests (DOTNET_HOST_PATH) when that is known.
    /// </summary>
    public static FakeHostOptions FromWorkerConfig(string functionAppDirectory, IReadOnlyDictionary<string, string?>? environmentVariables = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(functionAppDirectory);
        string directory = Path.GetFullPath(functionAppDirectory);
        string configPath = Path.Combine(directory, "worker.config.json");
        if (!File.Exists(configPath))
        {
            throw new FakeFunctionsHostException($"No worker.config.json in '{directory}': is this a built .NET isolated function app (Microsoft.Azure.Functions.Worker.Sdk writes it)?");
        }

        using JsonDocument document = JsonDocument.Parse(File.ReadAllText(configPath), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        if (!document.RootElement.TryGetProperty("description", out JsonElement description))
        {
            throw new FakeFunctionsHostException($"'{configPath}' has no 'description'.");
        }

        string executable = GetString(description, "defaultExecutablePath") ?? throw new FakeFunctionsHostException($"'{configPath}' has no description.defaultExecutablePath.");
        string? workerPath = GetString(description, "defaultWorkerPath");
        var arguments = new List<string>();
        if (description.TryGetProperty("arguments", out JsonElement args) && args.ValueKind == JsonValueKind.Array)
        {
            arguments.AddRange(args.EnumerateArray().Select(a => a.GetString() ?? "").Where(a => a.Length > 0));
        }

        if (!string.IsNullOrEmpty(workerPath))
        {
            arguments.Add(Path.IsPathRooted(workerPath) ? workerPath : Path.Combine(directory, workerPath));
        }

        return new FakeHostOptions
        {
            FileName = ResolveDotnet(executable),
            Arguments = arguments,
            FunctionAppDirectory = directory,
            EnvironmentVariables = environmentVariables ?? new Dictionary<string, string?>(),
        };
    }

    internal static string ResolveDotnet(string executable)
    {
        if (executable is "dotnet" or "dotnet.exe")
        {
            string? hostPath = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
            if (!string.IsNullOrEmpty(hostPath) && File.Exists(hostPath))
            {
                return hostPath;
            }
        }

        return executable;
    }

    private static string? GetString(JsonElement element, string name) =>
        element.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
