using System.Collections;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using Google.Protobuf;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Azure.Functions.Worker.Grpc.Messages;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace OnCall.FunctionsHostFake;

/// <summary>
/// Plays the Azure Functions host (azure-functions-host, WebJobs.Script.Grpc) towards a .NET isolated worker over the real
/// FunctionRpc gRPC protocol: starts a gRPC server on 127.0.0.1, starts the worker with the host's command line, then
/// StartStream → WorkerInitRequest → FunctionsMetadataRequest (worker indexing) → FunctionLoadRequest per function, and
/// invokes functions with the InvocationRequest the host would build for a queue message, a timer tick or an HTTP request.
/// See README.md beside this file for what comes from where in the host's source and what is not faithful.
/// </summary>
public sealed class FakeFunctionsHost : IAsyncDisposable
{
    /// <summary>RpcWorkerConstants.DefaultMaxMessageLengthBytes.</summary>
    private const int MaxMessageLength = int.MaxValue;

    private readonly FakeHostOptions _options;
    private readonly WorkerOutput _output;
    private readonly WorkerChannel _channel;
    private readonly WebApplication _server;
    private readonly Dictionary<string, string> _environment;
    private readonly Dictionary<string, IndexedFunction> _functions = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, string> _functionErrors = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> _notLoaded = new(StringComparer.OrdinalIgnoreCase);
    private readonly HttpMessageInvoker _proxyInvoker;
    private WorkerProcess? _process;
    private Dictionary<string, string> _capabilities = new(StringComparer.Ordinal);
    private int _disposed;

    private FakeFunctionsHost(FakeHostOptions options, WorkerOutput output, WorkerChannel channel, WebApplication server, Uri serverUri, Dictionary<string, string> environment)
    {
        _options = options;
        _output = output;
        _channel = channel;
        _server = server;
        ServerUri = serverUri;
        _environment = environment;

        // DefaultHttpProxyService: a SocketsHttpHandler without redirects or cookies, behind RetryProxyHandler.
        _proxyInvoker = new HttpMessageInvoker(new RetryProxyHandler(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false }, output));
    }

    /// <summary>The functions the worker indexed, in the order it sent them.</summary>
    public IReadOnlyList<IndexedFunction> Functions => [.. _functions.Values];

    /// <summary>Functions the real host would hold in error, with why (empty when all are fine).</summary>
    public IReadOnlyDictionary<string, string> FunctionErrors => _functionErrors;

    /// <summary>The capabilities from the worker's WorkerInitResponse (HttpUri, RpcHttpBodyOnly, ...).</summary>
    public IReadOnlyDictionary<string, string> WorkerCapabilities => _capabilities;

    /// <summary>Everything the worker printed (stdout, stderr) and logged over gRPC, plus the fake host's own notes.</summary>
    public string WorkerOutput => _output.ToString();

    /// <summary>The gRPC address the worker was given (<c>--functions-uri</c>).</summary>
    public Uri ServerUri { get; }

    /// <summary>The worker's process id.</summary>
    public int WorkerProcessId => _process?.Id ?? 0;

    /// <summary>The worker's command line as started.</summary>
    public string WorkerCommandLine => _process?.CommandLine ?? "";

    /// <summary>
    /// Starts the gRPC server and the worker, and returns once every function the worker indexed is loaded.
    /// Throws <see cref="FakeFunctionsHostException"/> (with the worker's output) when that does not happen within
    /// <see cref="FakeHostOptions.StartTimeout"/>, or when a function would be in error and
    /// <see cref="FakeHostOptions.FailOnFunctionErrors"/> is set.
    /// </summary>
    public static async Task<FakeFunctionsHost> StartAsync(FakeHostOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        string appDirectory = Path.GetFullPath(options.FunctionAppDirectory);
        if (!Directory.Exists(appDirectory))
        {
            throw new FakeFunctionsHostException($"The function app directory '{appDirectory}' does not exist.");
        }

        var output = new WorkerOutput();
        string workerId = Guid.NewGuid().ToString();
        var channel = new WorkerChannel(workerId, output);
        (WebApplication server, Uri serverUri) = await StartServerAsync(channel, cancellationToken).ConfigureAwait(false);

        // The worker inherits the host's environment (ProcessStartInfo's default), plus app settings, plus what
        // RpcWorkerProcess.CreateWorkerProcess adds: FUNCTIONS_WORKER_DIRECTORY and FUNCTIONS_APPLICATION_DIRECTORY.
        var overrides = new Dictionary<string, string?>(options.EnvironmentVariables, EnvironmentComparer);
        if (!overrides.ContainsKey("FUNCTIONS_WORKER_RUNTIME") && Environment.GetEnvironmentVariable("FUNCTIONS_WORKER_RUNTIME") is null)
        {
            overrides["FUNCTIONS_WORKER_RUNTIME"] = "dotnet-isolated";
        }

        overrides["FUNCTIONS_WORKER_DIRECTORY"] = appDirectory;
        overrides["FUNCTIONS_APPLICATION_DIRECTORY"] = appDirectory;
        Dictionary<string, string> environment = MergeEnvironment(overrides);

        var host = new FakeFunctionsHost(options, output, channel, server, serverUri, environment);
        try
        {
            await host.StartWorkerAsync(workerId, appDirectory, overrides, cancellationToken).ConfigureAwait(false);
            return host;
        }
        catch
        {
            await host.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Looks a function up by name (case-insensitive, as the host does).</summary>
    public IndexedFunction GetFunction(string functionName) =>
        _functions.TryGetValue(functionName, out IndexedFunction? function)
            ? function
            : throw Fail($"The worker indexed no function named '{functionName}' (it has: {string.Join(", ", _functions.Keys)}).");

    /// <summary>
    /// Invokes a queue-triggered function with a message, as the Storage queue trigger and the host deliver it
    /// (message text as a string, trigger metadata Id, DequeueCount, PopReceipt, times, QueueTrigger, plus the message's
    /// top-level JSON properties).
    /// </summary>
    public Task<InvocationResult> InvokeQueueAsync(string functionName, string messageText, string messageId, long dequeueCount, CancellationToken ct = default) =>
        InvokeQueueAsync(functionName, new QueueMessageDetails(messageText) { Id = messageId, DequeueCount = dequeueCount }, ct);

    /// <inheritdoc cref="InvokeQueueAsync(string, string, string, long, CancellationToken)"/>
    public async Task<InvocationResult> InvokeQueueAsync(string functionName, QueueMessageDetails message, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        IndexedFunction function = GetInvocableFunction(functionName, "queueTrigger");
        FunctionBinding trigger = function.Trigger!;
        ThrowIfDeferred(function, trigger);

        DateTimeOffset now = DateTimeOffset.UtcNow;
        DateTimeOffset inserted = message.InsertionTime ?? now;

        // Queue extension QueueTriggerBinding.CreateBindingData (QueueMessage → binding data), converted by the host's
        // ToRpc/ToRpcDefault: strings as String, DequeueCount (long) and the DateTimeOffsets as Json.
        var bindingData = new Dictionary<string, TypedData>(StringComparer.OrdinalIgnoreCase)
        {
            ["QueueTrigger"] = HostConversions.String(message.MessageText),
            ["DequeueCount"] = HostConversions.JsonNumber(message.DequeueCount),
            ["ExpirationTime"] = HostConversions.JsonDate(message.ExpirationTime ?? inserted.AddDays(7)),
            ["Id"] = HostConversions.String(message.Id),
            ["InsertionTime"] = HostConversions.JsonDate(inserted),
            ["NextVisibleTime"] = HostConversions.JsonDate(message.NextVisibleTime ?? now.AddMinutes(10)),
            ["PopReceipt"] = HostConversions.String(message.PopReceipt ?? NewPopReceipt()),
        };

        // The script binding asks the queue trigger for the binding's dataType (GeneralScriptBinding.GetRequestedType):
        // binary → byte[], otherwise string (JobHostMetadataProvider.GetDefaultType's "common default").
        TypedData input;
        if (trigger.DataType == "Binary")
        {
            input = HostConversions.Bytes(System.Text.Encoding.UTF8.GetBytes(message.MessageText));
        }
        else
        {
            input = HostConversions.String(message.MessageText);

            // WorkerFunctionInvoker.TransformInput → Utility.ApplyBindingData: a JSON message adds its top-level properties.
            HostConversions.ApplyBindingData(message.MessageText, bindingData);
        }

        InvocationRequest request = NewInvocationRequest(function, trigger, input, bindingData);
        using Activity activity = StartInvocationActivity(function, traceParent: null);
        request.TraceContext = TraceContext(activity);
        return (await InvokeAsync(function, request, beforeSend: null, ct).ConfigureAwait(false)).Result;
    }

    /// <summary>Invokes a timer-triggered function as the timer listener would on its first run after a start (see <see cref="TimerDetails.FirstRun"/>).</summary>
    public Task<InvocationResult> InvokeTimerAsync(string functionName, CancellationToken ct = default) =>
        InvokeTimerAsync(functionName, TimerDetails.FirstRun(), ct);

    /// <summary>Invokes a timer-triggered function with the given TimerInfo.</summary>
    public async Task<InvocationResult> InvokeTimerAsync(string functionName, TimerDetails timer, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(timer);
        IndexedFunction function = GetInvocableFunction(functionName, "timerTrigger");
        FunctionBinding trigger = function.Trigger!;

        // TimerListener passes the status only when a schedule monitor is in use (useMonitor, default true).
        bool useMonitor = !string.Equals(trigger.GetProperty("useMonitor"), "false", StringComparison.OrdinalIgnoreCase);
        TimerDetails sent = useMonitor ? timer : timer with { ScheduleStatus = null };

        // TimerTriggerBinding.CreateBindingData: TimerTrigger = DateTime.Now.ToString().
        var bindingData = new Dictionary<string, TypedData>(StringComparer.OrdinalIgnoreCase)
        {
            ["TimerTrigger"] = HostConversions.String(DateTime.Now.ToString(CultureInfo.InvariantCulture)),
        };

        // The TimerInfo object goes through ToRpcDefault: JsonConvert.SerializeObject(timerInfo), sent as Json.
        var input = new TypedData { Json = HostConversions.TimerInfoJson(sent) };
        InvocationRequest request = NewInvocationRequest(function, trigger, input, bindingData);
        using Activity activity = StartInvocationActivity(function, traceParent: null);
        request.TraceContext = TraceContext(activity);
        return (await InvokeAsync(function, request, beforeSend: null, ct).ConfigureAwait(false)).Result;
    }

    /// <summary>
    /// Sends an HTTP request to an HTTP-triggered function the way the host does for a worker with ASP.NET Core integration
    /// (the HttpUri capability): the InvocationRequest carries an empty RpcHttp (route parameters only when the worker asks
    /// for them), and the request itself is forwarded to the worker's HttpUri with the x-ms-invocation-id header.
    /// <paramref name="request"/>'s URI is what the host would receive, e.g. "/api/rotations/x" (relative URIs are against
    /// <see cref="FakeHostOptions.HostBaseAddress"/>). Route values default to matching the URI's path against the function's route.
    /// </summary>
    public async Task<(HttpResponseMessage Response, InvocationResult Result)> InvokeHttpAsync(
        string functionName,
        HttpRequestMessage request,
        IReadOnlyDictionary<string, string>? routeValues = null,
        CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        IndexedFunction function = GetInvocableFunction(functionName, "httpTrigger");
        FunctionBinding trigger = function.Trigger!;
        var http = HttpInvocation.Prepare(function, trigger, request, routeValues, _options.HostBaseAddress, RoutePrefix());
        await http.ReadBodyAsync(ct).ConfigureAwait(false);

        bool proxying = _capabilities.TryGetValue("HttpUri", out string? httpUri) && !string.IsNullOrEmpty(httpUri);
        Dictionary<string, TypedData> bindingData = http.BindingData(_capabilities);
        TypedData input = proxying ? http.ProxiedRpcHttp(_capabilities) : http.FullRpcHttp(_capabilities);

        InvocationRequest invocation = NewInvocationRequest(function, trigger, input, bindingData);
        using Activity activity = StartInvocationActivity(function, http.TraceParent);
        invocation.TraceContext = TraceContext(activity);

        Task<HttpResponseMessage>? forwarding = null;
        Func<Task>? beforeSend = null;
        using var forwardingCts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        forwardingCts.CancelAfter(_options.InvocationTimeout * 2);
        if (proxying)
        {
            // GrpcWorkerChannel.SendInvocationRequest starts forwarding before it sends the invocation request.
            var target = new Uri(httpUri!);
            beforeSend = () =>
            {
                HttpRequestMessage forwarded = http.ToForwardedRequest(target, invocation.InvocationId);
                forwarding = _proxyInvoker.SendAsync(forwarded, forwardingCts.Token);
                return Task.CompletedTask;
            };
        }

        InvocationResult result;
        InvocationResponse? response;
        try
        {
            (result, response) = await InvokeAsync(function, invocation, beforeSend, ct).ConfigureAwait(false);
        }
        catch
        {
            // The forwarded request may still fail later; nobody will look at it.
            _ = forwarding?.ContinueWith(t => t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
            throw;
        }

        if (forwarding is not null)
        {
            // GrpcWorkerChannel.InvokeResponse awaits the forwarding (EnsureSuccessfulForwardingAsync) before completing;
            // the client gets the worker's response as YARP copied it.
            HttpResponseMessage forwardedResponse;
            try
            {
                forwardedResponse = await WaitForAsync(forwarding, "the worker's HTTP response to the proxied request", _options.InvocationTimeout, ct).ConfigureAwait(false);
            }
            catch (HttpRequestException e)
            {
                throw Fail($"Failed to proxy request to the worker's HttpUri {httpUri}: {e.Message}");
            }

            await forwardedResponse.Content.LoadIntoBufferAsync(ct).ConfigureAwait(false);
            return (forwardedResponse, result);
        }

        return (HttpInvocation.ResponseFromRpc(response, result), result);
    }

    /// <summary>
    /// Sends a WorkerStatusRequest and waits for the response, as the host's health monitor does when the worker has the
    /// WorkerStatus capability; returns the round trip.
    /// </summary>
    public async Task<TimeSpan> PingAsync(CancellationToken ct = default)
    {
        string requestId = Guid.NewGuid().ToString();
        Task<WorkerStatusResponse> response = _channel.ExpectStatusResponse(requestId);
        var stopwatch = Stopwatch.StartNew();
        _channel.Send(new StreamingMessage { RequestId = requestId, WorkerStatusRequest = new WorkerStatusRequest() });
        await WaitForAsync(response, "WorkerStatusResponse", _options.InvocationTimeout, ct).ConfigureAwait(false);
        return stopwatch.Elapsed;
    }

    /// <summary>
    /// Stops the worker: a WorkerTerminate with a grace period when the worker handles it (as the host does on shutdown),
    /// then kills the worker's process tree, then stops the gRPC server.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        if (_process is not null)
        {
            if (_capabilities.ContainsKey("HandlesWorkerTerminateMessage"))
            {
                // GrpcWorkerChannel.StopWorkerProcess: WorkerConstants.WorkerTerminateGracePeriodInSeconds = 5.
                TimeSpan grace = TimeSpan.FromSeconds(5);
                _channel.Send(new StreamingMessage { WorkerTerminate = new WorkerTerminate { GracePeriod = Google.Protobuf.WellKnownTypes.Duration.FromTimeSpan(grace) } });
                await _process.WaitForExitAsync(grace).ConfigureAwait(false);
            }

            await _process.DisposeAsync().ConfigureAwait(false);
        }

        _channel.Close();
        _proxyInvoker.Dispose();
        using (var stop = new CancellationTokenSource(TimeSpan.FromSeconds(5)))
        {
            try
            {
                await _server.StopAsync(stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Open streams are cut.
            }
        }

        await _server.DisposeAsync().ConfigureAwait(false);
    }

    private static StringComparer EnvironmentComparer => OperatingSystem.IsWindows() ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal;

    private static Dictionary<string, string> MergeEnvironment(Dictionary<string, string?> overrides)
    {
        var environment = new Dictionary<string, string>(EnvironmentComparer);
        foreach (DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            if (entry.Key is string key && entry.Value is string value)
            {
                environment[key] = value;
            }
        }

        foreach ((string key, string? value) in overrides)
        {
            if (value is null)
            {
                environment.Remove(key);
            }
            else
            {
                environment[key] = value;
            }
        }

        return environment;
    }

    private static async Task<(WebApplication Server, Uri Uri)> StartServerAsync(WorkerChannel channel, CancellationToken cancellationToken)
    {
        // AspNetCoreGrpcHostBuilder: Kestrel on 127.0.0.1, HTTP/2 only; Startup: max message sizes int.MaxValue.
        // An empty builder: no appsettings.json or ASPNETCORE_* from the test process can add endpoints or change it.
        WebApplicationBuilder builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ApplicationName = typeof(FakeFunctionsHost).Assembly.GetName().Name });
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, 0, listen => listen.Protocols = HttpProtocols.Http2);
            kestrel.Limits.MaxRequestBodySize = null;
        });
        builder.Services.AddRoutingCore();
        builder.Services.AddLogging(logging => logging.ClearProviders());
        builder.Services.AddGrpc(grpc =>
        {
            grpc.MaxReceiveMessageSize = MaxMessageLength;
            grpc.MaxSendMessageSize = MaxMessageLength;
            grpc.EnableDetailedErrors = true;
        });
        builder.Services.AddSingleton(channel);

        WebApplication app = builder.Build();
        app.UseRouting();
        app.MapGrpcService<FunctionRpcService>();
        await app.StartAsync(cancellationToken).ConfigureAwait(false);

        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        int port = new Uri(address).Port;

        // AspNetCoreGrpcServer: Uri = http://127.0.0.1:{port}.
        return (app, new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}"));
    }

    private static string NewPopReceipt() => Convert.ToBase64String(Guid.NewGuid().ToByteArray()).TrimEnd('=');

    private static RpcTraceContext TraceContext(Activity activity)
    {
        // ScriptInvocationContextExtensions.GetRpcTraceContext: Activity.Current's Id, TraceStateString and tags.
        var context = new RpcTraceContext { TraceParent = activity.Id ?? "", TraceState = activity.TraceStateString ?? "" };
        foreach (KeyValuePair<string, string?> tag in activity.Tags)
        {
            if (!string.IsNullOrEmpty(tag.Value))
            {
                context.Attributes[tag.Key] = tag.Value;
            }
        }

        return context;
    }

    private static Activity StartInvocationActivity(IndexedFunction function, string? traceParent)
    {
        var activity = new Activity("FakeFunctionsHost.Invoke." + function.Name);
        activity.SetIdFormat(ActivityIdFormat.W3C);
        if (!string.IsNullOrEmpty(traceParent))
        {
            activity.SetParentId(traceParent);
        }

        return activity.Start();
    }

    private static void ThrowIfDeferred(IndexedFunction function, FunctionBinding trigger)
    {
        if (string.Equals(trigger.GetProperty("supportsDeferredBinding"), "True", StringComparison.OrdinalIgnoreCase))
        {
            throw new NotSupportedException(
                $"Function '{function.Name}' binds its trigger '{trigger.Name}' to an SDK type (supportsDeferredBinding): the host would send ModelBindingData, which the fake host does not build. Bind to a string, byte[] or POCO.");
        }
    }

    private async Task StartWorkerAsync(string workerId, string appDirectory, Dictionary<string, string?> environment, CancellationToken cancellationToken)
    {
        using var startCts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        startCts.CancelAfter(_options.StartTimeout);
        CancellationToken token = startCts.Token;
        string Within(string what) => $"{what} (start timeout {_options.StartTimeout.TotalSeconds:0.###}s)";

        // RpcWorkerContext.GetFormattedArguments, appended after the executable's and worker's arguments
        // (DefaultWorkerProcessFactory.GetArguments).
        string requestId = Guid.NewGuid().ToString();
        string max = MaxMessageLength.ToString(CultureInfo.InvariantCulture);
        var arguments = new List<string>(_options.Arguments)
        {
            "--host", ServerUri.Host, "--port", ServerUri.Port.ToString(CultureInfo.InvariantCulture),
            "--workerId", workerId, "--requestId", requestId, "--grpcMaxMessageLength", max,
            "--functions-uri", ServerUri.AbsoluteUri, "--functions-worker-id", workerId,
            "--functions-request-id", requestId, "--functions-grpc-max-message-length", max,
        };

        _process = WorkerProcess.Start(
            FakeHostOptions.ResolveDotnet(_options.FileName),
            arguments,
            Path.GetFullPath(_options.WorkingDirectory ?? appDirectory),
            environment,
            _output);

        await WaitForAsync(_channel.Started, Within("the worker's StartStream"), token, cancellationToken).ConfigureAwait(false);

        // GrpcWorkerChannel.SendWorkerInitRequest / GetWorkerInitRequest: host version, the MultiStream capability,
        // the worker directory (where worker.config.json is) and the script root. No log categories are sent.
        var init = new WorkerInitRequest { HostVersion = _options.HostVersion, WorkerDirectory = appDirectory, FunctionAppDirectory = appDirectory };
        init.Capabilities.Add("MultiStream", "10");
        _channel.Send(new StreamingMessage { WorkerInitRequest = init });
        WorkerInitResponse initResponse = await WaitForAsync(_channel.InitResponse, Within("WorkerInitResponse"), token, cancellationToken).ConfigureAwait(false);
        if (initResponse.Result?.Status != StatusResult.Types.Status.Success)
        {
            throw Fail($"The worker failed to initialize: {Describe(initResponse.Result)}");
        }

        _capabilities = initResponse.Capabilities.ToDictionary(c => c.Key, c => c.Value, StringComparer.Ordinal);
        _output.Append("fake-host", "worker capabilities: " + string.Join(", ", _capabilities.Select(c => c.Key + "=" + c.Value)));

        // GrpcWorkerChannel.SendFunctionMetadataRequest: worker indexing (worker.config.json "workerIndexing": "true").
        _channel.Send(new StreamingMessage { FunctionsMetadataRequest = new FunctionsMetadataRequest { FunctionAppDirectory = appDirectory } });
        FunctionMetadataResponse metadata = await WaitForAsync(_channel.MetadataResponse, Within("FunctionMetadataResponse"), token, cancellationToken).ConfigureAwait(false);
        IndexFunctions(metadata);

        await LoadFunctionsAsync(Within, token, cancellationToken).ConfigureAwait(false);

        if (_options.FailOnFunctionErrors && _functionErrors.Count > 0)
        {
            throw Fail("Under the real host these functions would be in error:" + Environment.NewLine
                + string.Join(Environment.NewLine, _functionErrors.Select(e => $"  {e.Key}: {e.Value}")));
        }
    }

    private void IndexFunctions(FunctionMetadataResponse metadata)
    {
        if (metadata.Result?.Status == StatusResult.Types.Status.Failure)
        {
            throw Fail($"The worker failed to index functions: {Describe(metadata.Result)}");
        }

        if (metadata.UseDefaultMetadataIndexing)
        {
            throw Fail("The worker asked the host to index functions itself (use_default_metadata_indexing); the fake host only supports worker indexing.");
        }

        foreach (RpcFunctionMetadata rpc in metadata.FunctionMetadataResults)
        {
            IndexedFunction function;
            try
            {
                function = FunctionIndex.Parse(rpc);
            }
            catch (Exception e) when (e is FormatException or System.Text.Json.JsonException)
            {
                _functionErrors[rpc.Name] = e.Message;
                continue;
            }

            if (string.IsNullOrEmpty(function.FunctionId))
            {
                function = function with { FunctionId = Guid.NewGuid().ToString() }; // FunctionMetadataExtensions.GetFunctionId
            }

            if (!_functions.TryAdd(function.Name, function))
            {
                _functionErrors[function.Name] = "The worker indexed more than one function with this name.";
                continue;
            }

            if (rpc.Status is { Status: StatusResult.Types.Status.Failure } status)
            {
                _functionErrors[function.Name] = "The worker failed to index it: " + Describe(status);
                continue;
            }

            FunctionIndex.Validate(function, AppSetting, out List<string> hostErrors, out List<string> bindingErrors);
            if (hostErrors.Count > 0)
            {
                _functionErrors[function.Name] = string.Join(" ", hostErrors.Concat(bindingErrors));
                _notLoaded.Add(function.Name);
            }
            else if (bindingErrors.Count > 0)
            {
                _functionErrors[function.Name] = string.Join(" ", bindingErrors);
            }
        }

        _output.Append("fake-host", "indexed: " + string.Join(", ", _functions.Keys));
    }

    private async Task LoadFunctionsAsync(Func<string, string> within, CancellationToken token, CancellationToken callerToken)
    {
        // GrpcWorkerChannel.GetFunctionLoadRequest: name, directory, entry point, script file, is_proxy, each binding as
        // BindingInfo (type, direction, data type; no properties), and the function's properties as strings with the host's
        // FunctionId among them. Functions that failed to parse never reach the host's load step.
        var requests = new List<FunctionLoadRequest>();
        foreach (IndexedFunction function in _functions.Values.Where(f => !_notLoaded.Contains(f.Name)))
        {
            var load = new FunctionLoadRequest
            {
                FunctionId = function.FunctionId,
                Metadata = new RpcFunctionMetadata
                {
                    Name = function.Name,
                    Directory = "",
                    EntryPoint = function.EntryPoint ?? "",
                    ScriptFile = function.ScriptFile ?? "",
                    IsProxy = false,
                },
            };

            foreach (FunctionBinding binding in function.Bindings)
            {
                var info = new BindingInfo
                {
                    Type = binding.Type,
                    Direction = binding.Direction switch { "Out" => BindingInfo.Types.Direction.Out, "InOut" => BindingInfo.Types.Direction.Inout, _ => BindingInfo.Types.Direction.In },
                };
                if (binding.DataType is not null)
                {
                    info.DataType = binding.DataType switch
                    {
                        "String" => BindingInfo.Types.DataType.String,
                        "Binary" => BindingInfo.Types.DataType.Binary,
                        "Stream" => BindingInfo.Types.DataType.Stream,
                        _ => BindingInfo.Types.DataType.Undefined,
                    };
                }

                load.Metadata.Bindings[binding.Name] = info;
            }

            load.Metadata.Properties["FunctionId"] = function.FunctionId;
            foreach ((string key, string value) in function.Properties)
            {
                load.Metadata.Properties.TryAdd(key, value);
            }

            requests.Add(load);
        }

        var responses = requests.ToDictionary(r => r.FunctionId, r => _channel.ExpectLoadResponse(r.FunctionId), StringComparer.OrdinalIgnoreCase);
        if (_capabilities.ContainsKey("SupportsLoadResponseCollection"))
        {
            var collection = new FunctionLoadRequestCollection();
            collection.FunctionLoadRequests.AddRange(requests);
            _channel.Send(new StreamingMessage { FunctionLoadRequestCollection = collection });
        }
        else
        {
            foreach (FunctionLoadRequest request in requests)
            {
                _channel.Send(new StreamingMessage { FunctionLoadRequest = request });
            }
        }

        foreach (FunctionLoadRequest request in requests)
        {
            FunctionLoadResponse response = await WaitForAsync(responses[request.FunctionId], within($"FunctionLoadResponse for '{request.Metadata.Name}'"), token, callerToken).ConfigureAwait(false);
            if (response.Result?.Status != StatusResult.Types.Status.Success)
            {
                _functionErrors[request.Metadata.Name] = "The worker failed to load it: " + Describe(response.Result);
            }
        }

        _output.Append("fake-host", $"loaded {requests.Count} function(s)");
    }

    private IndexedFunction GetInvocableFunction(string functionName, string triggerType)
    {
        ObjectDisposedException.ThrowIf(_disposed == 1, this);
        IndexedFunction function = GetFunction(functionName);
        if (_functionErrors.TryGetValue(function.Name, out string? error))
        {
            throw Fail($"Function '{function.Name}' is in error and the host would not invoke it: {error}");
        }

        if (function.Trigger is not { } trigger || !trigger.Type.Equals(triggerType, StringComparison.OrdinalIgnoreCase))
        {
            throw Fail($"Function '{function.Name}' has a '{function.Trigger?.Type}' trigger, not {triggerType}.");
        }

        if (function.Bindings.Any(b => b.Direction != "Out" && !b.IsTrigger))
        {
            throw new NotSupportedException($"Function '{function.Name}' has input bindings besides its trigger; the fake host does not bind those.");
        }

        return function;
    }

    private static InvocationRequest NewInvocationRequest(IndexedFunction function, FunctionBinding trigger, TypedData input, Dictionary<string, TypedData> bindingData)
    {
        // ScriptInvocationContextExtensions.ToRpcInvocationRequest: function id, a new invocation id (a GUID), trace context,
        // retry context (WebJobs sets one for every attempt of a function with a retry strategy; first attempt: count 0),
        // the trigger input named after its binding, and the binding data (null values and "sys" skipped) as trigger metadata.
        var request = new InvocationRequest
        {
            FunctionId = function.FunctionId,
            InvocationId = Guid.NewGuid().ToString(),
        };

        if (function.Retry is { } retry)
        {
            request.RetryContext = new RetryContext { RetryCount = 0, MaxRetryCount = retry.MaxRetryCount };
        }

        request.InputData.Add(new ParameterBinding { Name = trigger.Name, Data = input });
        foreach ((string key, TypedData value) in bindingData)
        {
            request.TriggerMetadata[key] = value;
        }

        return request;
    }

    private async Task<(InvocationResult Result, InvocationResponse? Response)> InvokeAsync(IndexedFunction function, InvocationRequest request, Func<Task>? beforeSend, CancellationToken ct)
    {
        string requestJson = JsonFormatter.Default.Format(request);
        PendingInvocation pending = _channel.ExpectInvocationResponse(request.InvocationId);
        try
        {
            if (beforeSend is not null)
            {
                await beforeSend().ConfigureAwait(false);
            }

            _output.Append("fake-host", $"invoking {function.Name} ({request.InvocationId})");
            _channel.Send(new StreamingMessage { InvocationRequest = request });
            InvocationResponse response = await WaitForAsync(pending.Response.Task, $"the InvocationResponse of {function.Name} ({request.InvocationId})", _options.InvocationTimeout, ct).ConfigureAwait(false);

            StatusResult? status = response.Result;
            bool succeeded = status?.Status == StatusResult.Types.Status.Success;
            string? exception = succeeded ? null : (status?.Status == StatusResult.Types.Status.Cancelled ? "Cancelled. " : "") + Describe(status);
            var result = new InvocationResult(succeeded, exception, pending.Logs())
            {
                InvocationId = request.InvocationId,
                RequestJson = requestJson,
                ResponseJson = JsonFormatter.Default.Format(response),
                Outputs = response.OutputData.ToDictionary(o => o.Name, o => HostConversions.Describe(o.Data)),
                ReturnValue = HostConversions.Describe(response.ReturnValue),
            };
            return (result, response);
        }
        finally
        {
            _channel.ForgetInvocation(request.InvocationId);
        }
    }

    private Task<T> WaitForAsync<T>(Task<T> task, string what, TimeSpan timeout, CancellationToken callerToken)
    {
        var cts = CancellationTokenSource.CreateLinkedTokenSource(callerToken);
        cts.CancelAfter(timeout);
        return WaitForCoreAsync(task, $"{what} (timeout {timeout.TotalSeconds:0.###}s)", cts, callerToken);
    }

    private Task<T> WaitForAsync<T>(Task<T> task, string what, CancellationToken token, CancellationToken callerToken) =>
        WaitForCoreAsync(task, what, CancellationTokenSource.CreateLinkedTokenSource(token), callerToken);

    private async Task<T> WaitForCoreAsync<T>(Task<T> task, string what, CancellationTokenSource cts, CancellationToken callerToken)
    {
        using (cts)
        {
            var cancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            using CancellationTokenRegistration registration = cts.Token.Register(() => cancelled.TrySetResult());
            Task exited = _process?.Exited ?? Task.Delay(Timeout.Infinite, cts.Token);
            Task streamEnded = _channel.Started.IsCompleted ? _channel.StreamEnded : Task.Delay(Timeout.Infinite, cts.Token);
            Task finished = await Task.WhenAny(task, exited, streamEnded, cancelled.Task).ConfigureAwait(false);
            if (finished == task)
            {
                return await task.ConfigureAwait(false);
            }

            if (finished == exited && _process is not null)
            {
                // Give a response that raced the exit its chance, and the output its last lines.
                await Task.WhenAny(task, Task.Delay(200, CancellationToken.None)).ConfigureAwait(false);
                if (task.IsCompletedSuccessfully)
                {
                    return task.Result;
                }

                throw Fail($"The worker exited with code {await _process.Exited.ConfigureAwait(false)} while the host waited for {what}.");
            }

            if (finished == streamEnded)
            {
                throw Fail($"The worker closed its gRPC stream while the host waited for {what}.");
            }

            callerToken.ThrowIfCancellationRequested();
            throw Fail($"Timed out waiting for {what}.");
        }
    }

    private string? AppSetting(string name)
    {
        // The host's configuration reads environment variables by the exact name, then with ':' as "__"
        // (ScriptEnvironmentVariablesConfigurationSource.WebHostEnvironmentVariablesProvider.TryGet).
        if (_environment.TryGetValue(name, out string? value))
        {
            return value;
        }

        return _environment.TryGetValue(name.Replace(":", "__", StringComparison.Ordinal), out value) ? value : null;
    }

    private string RoutePrefix()
    {
        // extensions.http.routePrefix in host.json, "api" by default (the worker reads the same file).
        string hostJson = Path.Combine(Path.GetFullPath(_options.FunctionAppDirectory), "host.json");
        return HttpInvocation.ReadRoutePrefix(hostJson) ?? "api";
    }

    private FakeFunctionsHostException Fail(string message) =>
        new(message + Environment.NewLine + "--- worker output ---" + Environment.NewLine + _output);

    private static string Describe(StatusResult? status)
    {
        if (status is null)
        {
            return "(no status)";
        }

        // One line first (status, exception type and message), then the stack trace, so assertion messages read well.
        string text = string.IsNullOrEmpty(status.Result) ? status.Status.ToString() : status.Status + ": " + status.Result;
        if (status.Exception is { } e)
        {
            text += ": " + (string.IsNullOrEmpty(e.Type) || e.Message.StartsWith(e.Type, StringComparison.Ordinal) ? "" : e.Type + ": ") + e.Message
                + (string.IsNullOrEmpty(e.StackTrace) ? "" : Environment.NewLine + e.StackTrace);
        }

        return text;
    }
}
