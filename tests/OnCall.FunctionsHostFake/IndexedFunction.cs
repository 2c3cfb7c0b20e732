namespace OnCall.FunctionsHostFake;

/// <summary>A function as the worker indexed it (<c>FunctionMetadataResponse</c>) and the fake host loaded it.</summary>
/// <param name="Name">Function name (the <c>[Function]</c> attribute's).</param>
/// <param name="FunctionId">The worker's function id, sent back in the load and invocation requests.</param>
/// <param name="EntryPoint">The method, e.g. "Namespace.Class.Method".</param>
/// <param name="ScriptFile">The assembly, relative to the app directory.</param>
/// <param name="Language">What the worker reported, e.g. "dotnet-isolated".</param>
/// <param name="Bindings">The raw bindings, parsed as the host parses them.</param>
/// <param name="Retry">The function's retry policy, when the worker declared one.</param>
public sealed record IndexedFunction(
    string Name,
    string FunctionId,
    string EntryPoint,
    string ScriptFile,
    string Language,
    IReadOnlyList<FunctionBinding> Bindings,
    FunctionRetry? Retry)
{
    /// <summary>The trigger binding (type ends with "Trigger"), or null for a function without one (the host refuses those).</summary>
    public FunctionBinding? Trigger => Bindings.FirstOrDefault(b => b.IsTrigger && b.Direction == "In");

    /// <summary>Properties the worker sent with the function (e.g. IsCodeless).</summary>
    public IReadOnlyDictionary<string, string> Properties { get; init; } = new Dictionary<string, string>();
}

/// <summary>One binding of a function, from the worker's raw binding JSON.</summary>
/// <param name="Name">Binding name (the parameter name, or "$return").</param>
/// <param name="Type">Binding type, e.g. "queueTrigger", "httpTrigger", "http", "timerTrigger".</param>
/// <param name="Direction">"In", "Out" or "InOut".</param>
/// <param name="DataType">"String", "Binary", "Stream", or null when the worker sent none.</param>
/// <param name="Properties">Every other top-level property of the raw JSON (queueName, schedule, route, ...), as text.</param>
/// <param name="RawJson">The raw binding JSON exactly as the worker sent it.</param>
public sealed record FunctionBinding(
    string Name,
    string Type,
    string Direction,
    string? DataType,
    IReadOnlyDictionary<string, string> Properties,
    string RawJson)
{
    /// <summary>As the host's BindingMetadata.IsTrigger: the type ends with "trigger".</summary>
    public bool IsTrigger => Type.EndsWith("trigger", StringComparison.OrdinalIgnoreCase);

    /// <summary>A property by name (case-insensitive), or null.</summary>
    public string? GetProperty(string name) =>
        Properties.FirstOrDefault(p => string.Equals(p.Key, name, StringComparison.OrdinalIgnoreCase)).Value;
}

/// <summary>A function's retry policy (<c>RpcRetryOptions</c>).</summary>
/// <param name="Strategy">"FixedDelay" or "ExponentialBackoff".</param>
/// <param name="MaxRetryCount">Maximum retries; -1 is unlimited.</param>
/// <param name="DelayInterval">For fixed delay.</param>
/// <param name="MinimumInterval">For exponential backoff.</param>
/// <param name="MaximumInterval">For exponential backoff.</param>
public sealed record FunctionRetry(string Strategy, int MaxRetryCount, TimeSpan? DelayInterval, TimeSpan? MinimumInterval, TimeSpan? MaximumInterval);
