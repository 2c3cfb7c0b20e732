namespace OnCall.FunctionsHostFake;

/// <summary>
/// What came back from one invocation: the worker's <c>InvocationResponse</c> status, its exception text when it failed,
/// and the <c>RpcLog</c> messages the worker attached to the invocation id.
/// </summary>
/// <param name="Succeeded">The response's <c>StatusResult.status</c> was <c>Success</c>.</param>
/// <param name="Exception">On failure or cancellation: the worker's <c>RpcException</c> (type, message, stack trace); otherwise null.</param>
/// <param name="Logs">The worker's logs for this invocation, each as "Level [Category]: message".</param>
public sealed record InvocationResult(bool Succeeded, string? Exception, IReadOnlyList<string> Logs)
{
    /// <summary>The invocation id the fake host generated and sent (as the real host does, a GUID).</summary>
    public string InvocationId { get; init; } = "";

    /// <summary>The <c>InvocationRequest</c> the fake host sent, as protobuf JSON: what the worker was given.</summary>
    public string RequestJson { get; init; } = "";

    /// <summary>The worker's <c>InvocationResponse</c>, as protobuf JSON: output data, return value, status.</summary>
    public string ResponseJson { get; init; } = "";

    /// <summary>Output bindings the worker returned (<c>output_data</c>), by binding name, each rendered as text.</summary>
    public IReadOnlyDictionary<string, string?> Outputs { get; init; } = new Dictionary<string, string?>();

    /// <summary>The worker's <c>return_value</c>, rendered as text, or null when it sent none.</summary>
    public string? ReturnValue { get; init; }

    /// <inheritdoc />
    public override string ToString() =>
        $"{(Succeeded ? "Succeeded" : "Failed")} {InvocationId}{(Exception is null ? "" : Environment.NewLine + Exception)}"
        + (Logs.Count == 0 ? "" : Environment.NewLine + string.Join(Environment.NewLine, Logs));
}
