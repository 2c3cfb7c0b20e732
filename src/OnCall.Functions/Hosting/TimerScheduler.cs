using Microsoft.Extensions.Options;
using OnCall.Functions.Catalogue;

namespace OnCall.Functions.Hosting;

/// <summary>Standalone mode's timer trigger: runs each timer function on its NCRONTAB schedule (UTC).</summary>
public sealed class TimerScheduler(
    FunctionCatalogue catalogue,
    TimerInvoker invoker,
    IOptions<TimerScheduleOptions> schedules,
    TimeProvider timeProvider,
    ILogger<TimerScheduler> logger) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(catalogue.Timers
            .Where(t => !schedules.Value.Disabled.Contains(t.Name))
            .Select(t => RunForeverAsync(t, stoppingToken)));

    private async Task RunForeverAsync(TimerFunction function, CancellationToken stoppingToken)
    {
        var expression = schedules.Value.For(function);
        var after = timeProvider.GetUtcNow();
        while (!stoppingToken.IsCancellationRequested)
        {
            var next = expression.GetNextOccurrence(after, TimeZoneInfo.Utc);
            if (next is not { } occurrence)
            {
                return;
            }

            try
            {
                var wait = occurrence - timeProvider.GetUtcNow();
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, timeProvider, stoppingToken);
                }

                await invoker.RunAsync(function, TimerTrigger.Schedule, occurrence, stoppingToken);

                // Like the Functions host, run a missed occurrence once, not once per occurrence missed.
                after = Max(occurrence, timeProvider.GetUtcNow());
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception)
            {
                // One failed run must not stop the schedule; the next occurrence tries again.
                logger.LogError(exception, "Timer {Function} failed for {Occurrence}.", function.Name, occurrence);
                after = Max(occurrence, timeProvider.GetUtcNow());
            }
        }
    }

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;
}
