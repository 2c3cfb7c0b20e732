using Microsoft.Extensions.Logging;
using NodaTime;
using OnCall.Core.Jobs;

namespace OnCall.Core.TimeOff;

/// <summary>How far ahead coverage is checked; bound from <c>OnCall:Coverage</c> by the host.</summary>
public sealed record CoverageSettings(Duration LookAhead)
{
    public static readonly Duration DefaultLookAhead = Duration.FromDays(14);
}

/// <summary>Asks for one rotation's coverage to be checked (after a write to it): the <c>coverage-checks</c> queue's message.</summary>
public sealed record CoverageCheck(string RotationId);

public static class CoverageQueues
{
    public static readonly WorkQueueName<CoverageCheck> Checks = new("coverage-checks");
}

/// <summary>
/// Puts a check of one rotation on the queue after a write. Best effort: the write has happened, so a failure to enqueue
/// is logged and never reported as the write's failure; the daily <c>CheckCoverage</c> timer catches up.
/// </summary>
public sealed class CoverageCheckRequests(IWorkQueueSender queue, ILogger<CoverageCheckRequests> logger)
{
    public async Task RequestAsync(string rotationId, CancellationToken cancellationToken = default)
    {
        try
        {
            await queue.EnqueueAsync(CoverageQueues.Checks, new CoverageCheck(rotationId), cancellationToken: cancellationToken);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning(
                "Coverage check of rotation {RotationId} not queued after a write ({ExceptionType}); CheckCoverage will check it.",
                rotationId,
                e.GetType().Name);
        }
    }
}

/// <summary>Checks every rotation's coverage and tells people what is new, changed or solved.</summary>
public sealed class CheckCoverageJob(CoverageCheckService coverage) : ITimerJob
{
    public Task RunAsync(CancellationToken cancellationToken = default) => coverage.CheckAllAsync(cancellationToken);
}

/// <summary>Checks the coverage of the one rotation a write changed.</summary>
public sealed class CheckRotationCoverageJob(CoverageCheckService coverage) : IQueueJob<CoverageCheck>
{
    public Task HandleAsync(WorkItem<CoverageCheck> item, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(item);
        return coverage.CheckAsync(item.Body.RotationId, cancellationToken);
    }
}
