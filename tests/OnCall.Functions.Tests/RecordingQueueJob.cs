using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using OnCall.Core.Jobs;
using OnCall.Functions.Catalogue;

namespace OnCall.Functions.Tests;

/// <summary>A queue job for tests: records what it handled and fails the first <see cref="FailTimes"/> tries.</summary>
public sealed class RecordingQueueJob(int failTimes = 0) : IQueueJob
{
    public static readonly QueueFunction Function = new("RecordMessage", "records", typeof(RecordingQueueJob));

    private int _tries;

    public int FailTimes { get; } = failTimes;

    public ConcurrentQueue<ReceivedMessage> Handled { get; } = new();

    public int Tries => _tries;

    public Task HandleAsync(ReceivedMessage message, CancellationToken cancellationToken = default)
    {
        if (Interlocked.Increment(ref _tries) <= FailTimes)
        {
            throw new InvalidOperationException($"Failing try {_tries} on purpose.");
        }

        Handled.Enqueue(message);
        return Task.CompletedTask;
    }

    /// <summary>Registers this job and its queue function with the app.</summary>
    public Action<IServiceCollection> Register() => services =>
    {
        services.AddSingleton(this);
        services.AddSingleton(Function);
    };
}
