using System.Collections.Concurrent;
using System.Threading.Channels;
using Grpc.Core;
using Microsoft.Azure.Functions.Worker.Grpc.Messages;

namespace OnCall.FunctionsHostFake;

/// <summary>
/// The host's side of FunctionRpc.EventStream for one worker, after azure-functions-host
/// src/WebJobs.Script.Grpc/Server/FunctionRpcService.cs (EventStream, PushFromOutboundToGrpc): the first message of a stream
/// must be StartStream with the worker id the process was started with; after that, every stream of that worker reads from
/// one outbound queue, and every inbound message is dispatched to whatever waits for it.
/// </summary>
internal sealed class WorkerChannel
{
    private readonly string _workerId;
    private readonly WorkerOutput _output;
    private readonly Channel<StreamingMessage> _outbound = Channel.CreateUnbounded<StreamingMessage>(new UnboundedChannelOptions { SingleReader = false, SingleWriter = false });
    private readonly TaskCompletionSource<StartStream> _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _streamEnded = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<WorkerInitResponse> _initResponse = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<FunctionMetadataResponse> _metadataResponse = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ConcurrentDictionary<string, TaskCompletionSource<FunctionLoadResponse>> _loads = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, PendingInvocation> _invocations = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, TaskCompletionSource<WorkerStatusResponse>> _statusRequests = new(StringComparer.Ordinal);

    public WorkerChannel(string workerId, WorkerOutput output)
    {
        _workerId = workerId;
        _output = output;
    }

    public Task<StartStream> Started => _started.Task;

    /// <summary>Completes when the worker's (first) stream ends: the worker went away.</summary>
    public Task StreamEnded => _streamEnded.Task;

    public Task<WorkerInitResponse> InitResponse => _initResponse.Task;

    public Task<FunctionMetadataResponse> MetadataResponse => _metadataResponse.Task;

    public void Send(StreamingMessage message) => _outbound.Writer.TryWrite(message);

    public Task<FunctionLoadResponse> ExpectLoadResponse(string functionId) =>
        _loads.GetOrAdd(functionId, _ => new TaskCompletionSource<FunctionLoadResponse>(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

    public PendingInvocation ExpectInvocationResponse(string invocationId)
    {
        var pending = new PendingInvocation();
        _invocations[invocationId] = pending;
        return pending;
    }

    public void ForgetInvocation(string invocationId) => _invocations.TryRemove(invocationId, out _);

    public Task<WorkerStatusResponse> ExpectStatusResponse(string requestId) =>
        _statusRequests.GetOrAdd(requestId, _ => new TaskCompletionSource<WorkerStatusResponse>(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

    public void Close() => _outbound.Writer.TryComplete();

    public async Task EventStream(IAsyncStreamReader<StreamingMessage> requestStream, IServerStreamWriter<StreamingMessage> responseStream, ServerCallContext context)
    {
        CancellationToken token = context.CancellationToken;
        if (!await requestStream.MoveNext(token).ConfigureAwait(false))
        {
            return;
        }

        StreamingMessage first = requestStream.Current;
        if (first.ContentCase != StreamingMessage.ContentOneofCase.StartStream)
        {
            _output.Append("fake-host", $"a stream opened with {first.ContentCase} instead of StartStream; the host drops such a stream");
            return;
        }

        if (!string.Equals(first.StartStream.WorkerId, _workerId, StringComparison.Ordinal))
        {
            _output.Append("fake-host", $"StartStream for unknown worker id '{first.StartStream.WorkerId}' (expected '{_workerId}'); the host drops such a stream");
            return;
        }

        bool isFirstStream = _started.TrySetResult(first.StartStream);
        _output.Append("fake-host", isFirstStream ? "received StartStream" : "received StartStream on an additional stream");

        using var streamDone = CancellationTokenSource.CreateLinkedTokenSource(token);
        Task push = PushOutboundAsync(responseStream, streamDone.Token);
        try
        {
            while (await requestStream.MoveNext(token).ConfigureAwait(false))
            {
                Dispatch(requestStream.Current);
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or Grpc.Core.RpcException or InvalidOperationException)
        {
            _output.Append("fake-host", "worker stream ended: " + e.Message);
        }
        finally
        {
            await streamDone.CancelAsync().ConfigureAwait(false);
            try
            {
                await push.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // The stream is over.
            }

            if (isFirstStream)
            {
                _streamEnded.TrySetResult();
            }
        }
    }

    private async Task PushOutboundAsync(IServerStreamWriter<StreamingMessage> responseStream, CancellationToken token)
    {
        while (await _outbound.Reader.WaitToReadAsync(token).ConfigureAwait(false))
        {
            while (_outbound.Reader.TryRead(out StreamingMessage? message))
            {
                try
                {
                    await responseStream.WriteAsync(message, token).ConfigureAwait(false);
                }
                catch (Exception e) when (e is IOException or InvalidOperationException or Grpc.Core.RpcException)
                {
                    _output.Append("fake-host", $"could not write {message.ContentCase} to the worker: {e.Message}");
                }
            }
        }
    }

    private void Dispatch(StreamingMessage message)
    {
        switch (message.ContentCase)
        {
            case StreamingMessage.ContentOneofCase.RpcLog:
                OnLog(message.RpcLog);
                break;
            case StreamingMessage.ContentOneofCase.WorkerInitResponse:
                _initResponse.TrySetResult(message.WorkerInitResponse);
                break;
            case StreamingMessage.ContentOneofCase.FunctionMetadataResponse:
                _metadataResponse.TrySetResult(message.FunctionMetadataResponse);
                break;
            case StreamingMessage.ContentOneofCase.FunctionLoadResponse:
                OnLoad(message.FunctionLoadResponse);
                break;
            case StreamingMessage.ContentOneofCase.FunctionLoadResponseCollection:
                foreach (FunctionLoadResponse response in message.FunctionLoadResponseCollection.FunctionLoadResponses)
                {
                    OnLoad(response);
                }

                break;
            case StreamingMessage.ContentOneofCase.InvocationResponse:
                if (_invocations.TryRemove(message.InvocationResponse.InvocationId, out PendingInvocation? pending))
                {
                    pending.Response.TrySetResult(message.InvocationResponse);
                }
                else
                {
                    _output.Append("fake-host", $"InvocationResponse for an invocation nobody waits for: {message.InvocationResponse.InvocationId}");
                }

                break;
            case StreamingMessage.ContentOneofCase.WorkerStatusResponse:
                if (_statusRequests.TryRemove(message.RequestId, out TaskCompletionSource<WorkerStatusResponse>? status))
                {
                    status.TrySetResult(message.WorkerStatusResponse);
                }

                break;
            default:
                _output.Append("fake-host", $"worker sent {message.ContentCase}: {message}");
                break;
        }
    }

    private void OnLoad(FunctionLoadResponse response) =>
        _loads.GetOrAdd(response.FunctionId, _ => new TaskCompletionSource<FunctionLoadResponse>(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult(response);

    private void OnLog(RpcLog log)
    {
        string line = $"{log.Level} [{log.Category}]: {log.Message}";
        if (log.Exception is { } exception)
        {
            line += Environment.NewLine + exception.Message + Environment.NewLine + exception.StackTrace;
        }

        _output.Append(log.LogCategory == RpcLog.Types.RpcLogCategory.System ? "rpc-log system" : "rpc-log", (string.IsNullOrEmpty(log.InvocationId) ? "" : log.InvocationId + " ") + line);
        if (!string.IsNullOrEmpty(log.InvocationId) && _invocations.TryGetValue(log.InvocationId, out PendingInvocation? pending))
        {
            pending.AddLog(line);
        }
    }
}

/// <summary>An invocation request sent and not answered yet.</summary>
internal sealed class PendingInvocation
{
    private readonly List<string> _logs = [];

    public TaskCompletionSource<InvocationResponse> Response { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void AddLog(string line)
    {
        lock (_logs)
        {
            _logs.Add(line);
        }
    }

    public IReadOnlyList<string> Logs()
    {
        lock (_logs)
        {
            return [.. _logs];
        }
    }
}

/// <summary>The gRPC service the worker connects to.</summary>
internal sealed class FunctionRpcService(WorkerChannel channel) : FunctionRpc.FunctionRpcBase
{
    public override Task EventStream(IAsyncStreamReader<StreamingMessage> requestStream, IServerStreamWriter<StreamingMessage> responseStream, ServerCallContext context) =>
        channel.EventStream(requestStream, responseStream, context);
}
