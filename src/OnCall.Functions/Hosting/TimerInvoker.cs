using OnCall.Functions.Catalogue;
using OnCall.Infrastructure.Hosting;

namespace OnCall.Functions.Hosting;

/// <summary>How a timer run was started, which decides how it is kept to one instance.</summary>
public enum TimerTrigger
{
    /// <summary>The standalone scheduler: lease, and skip an occurrence another instance already ran.</summary>
    Schedule,

    /// <summary><c>POST /api/admin/run/{function}</c>: lease, so it never overlaps a scheduled run.</summary>
    Manual,

    /// <summary>The Functions host, which keeps timers singleton itself.</summary>
    FunctionsHost,
}

/// <summary>Runs a timer function's job. Shared by the standalone scheduler, the admin endpoint and the Functions host.</summary>
public sealed class TimerInvoker(IServiceProvider services, BlobScheduleLock scheduleLock, ILogger<TimerInvoker> logger)
{
    /// <summary>True when the job ran; false when another instance holds the timer or already ran this occurrence.</summary>
    public async Task<bool> RunAsync(TimerFunction function, TimerTrigger trigger, DateTimeOffset? occurrence = null, CancellationToken cancellationToken = default)
    {
        if (trigger == TimerTrigger.FunctionsHost)
        {
            await RunJobAsync(function, cancellationToken);
            return true;
        }

        await using var lease = await scheduleLock.TryAcquireAsync(function.Name, trigger == TimerTrigger.Schedule ? occurrence : null, cancellationToken);
        if (lease is null)
        {
            return false;
        }

        await RunJobAsync(function, cancellationToken);
        await lease.CompleteAsync(cancellationToken);
        return true;
    }

    private async Task RunJobAsync(TimerFunction function, CancellationToken cancellationToken)
    {
        logger.LogInformation("Timer {Function} started.", function.Name);
        await function.RunAsync(services, cancellationToken);
        logger.LogInformation("Timer {Function} completed.", function.Name);
    }
}
