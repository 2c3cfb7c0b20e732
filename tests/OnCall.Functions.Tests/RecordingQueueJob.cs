using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Azure.Functions.Worker;
using OnCall.Core.Jobs;
using OnCall.Functions.Catalogue;

namespace OnCall.Functions.Tests;

/// <summary>The message type of the test queue function.</summary>
public sealed record Recorded(string Incident);

/// <summary>A queue job for tests: records what it handled and fails the first <see cref="FailTimes"/> tries.</summary>
public sealed class RecordingQueueJob(int failTimes = 0, TimeSpan? takes = null) : IQueueJob<Recorded>
{
    public static readonly WorkQueueName<Recorded> Queue = new("records");

    private int _tries;

    public int FailTimes { get; } = failTimes;

    public ConcurrentQueue<WorkItem<Recorded>> Handled { get; } = new();

    public int Tries => _tries;

    public async Task HandleAsync(WorkItem<Recorded> item, CancellationToken cancellationToken = default)
    {
        if (Interlocked.Increment(ref _tries) <= FailTimes)
        {
            throw new InvalidOperationException($"Failing try {_tries} on purpose.");
        }

        // A slow handler, as one making retried HTTP calls would be.
        if (takes is { } duration)
        {
            await Task.Delay(duration, cancellationToken);
        }

        Handled.Enqueue(item);
    }

    /// <summary>Registers this job and a catalogue that declares its queue function.</summary>
    public Action<IServiceCollection> Register() => services =>
    {
        services.AddSingleton(this);
        services.AddSingleton(FunctionCatalogue.Default.With(typeof(RecordingFunctions)));
    };
}

/// <summary>The test queue function, declared as the app's own are.</summary>
public sealed class RecordingFunctions(RecordingQueueJob job)
{
    [Function("RecordMessage")]
    public Task RecordMessage(
        [QueueTrigger("%OnCall__Storage__Prefix%-records", Connection = "AzureWebJobsStorage")] Recorded message,
        string id,
        long dequeueCount,
        CancellationToken cancellationToken) =>
        job.HandleAsync(new WorkItem<Recorded>(id, message, dequeueCount), cancellationToken);
}
