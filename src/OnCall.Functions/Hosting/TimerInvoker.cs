using Microsoft.Azure.Functions.Worker;
using OnCall.Functions.Catalogue;
using OnCall.Infrastructure.Hosting;

namespace OnCall.Functions.Hosting;

/// <summary>How a standalone timer run was started, which decides how it is kept to one instance.</summary>
public enum TimerTrigger
{
    /// <summary>The standalone scheduler: lease, and skip an occurrence another instance already ran.</summary>
    Schedule,

    /// <summary><c>POST /api/ops/run/{function}</c>: lease, so it never overlaps another manual or standalone run.</summary>
    Manual,
}

/// <summary>
/// Runs a timer function's <c>[Function]</c> method outside the Functions host (the standalone scheduler and the
/// operations route), under a blob lease so one instance runs it at a time. The host keeps its own timers singleton.
/// </summary>
public sealed class TimerInvoker(IServiceProvider services, BlobScheduleLock scheduleLock, ILogger<TimerInvoker> logger)
{
    private static readonly Dictionary<string, object?> NoBindingData = [];

    /// <summary>True when the function ran; false when another instance holds the timer or already ran this occurrence.</summary>
    public async Task<bool> RunAsync(
        TimerFunction function,
        TimerTrigger trigger,
        DateTimeOffset? occurrence = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(function);
        await using var lease = await scheduleLock.TryAcquireAsync(
            function.Name,
            trigger == TimerTrigger.Schedule ? occurrence : null,
            cancellationToken);
        if (lease is null)
        {
            return false;
        }

        logger.LogInformation("Timer {Function} started.", function.Name);
        await using (var scope = services.CreateAsyncScope())
        {
            await FunctionInvoker.InvokeAsync(function, scope.ServiceProvider, new TimerInfo(), NoBindingData, cancellationToken);
        }

        logger.LogInformation("Timer {Function} completed.", function.Name);
        await lease.CompleteAsync(cancellationToken);
        return true;
    }
}
