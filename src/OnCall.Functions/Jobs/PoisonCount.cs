using Microsoft.Extensions.Options;
using OnCall.Core.Diagnostics;
using OnCall.Functions.Hosting;

namespace OnCall.Functions.Jobs;

/// <summary>
/// Counts messages poisoned under the Functions host, which moves a message to <c>{queue}-poison</c> after its last
/// failed try without telling the worker: a failure on that try is the poisoning. Standalone, the queue listener
/// poisons messages itself and counts them there.
/// </summary>
public sealed class PoisonCount(HostingMode mode, IOptions<QueueOptions> options, OnCallMetrics metrics)
{
    public async Task CountingAsync(string function, long dequeueCount, Func<Task> handle)
    {
        ArgumentNullException.ThrowIfNull(handle);
        try
        {
            await handle();
        }
        catch when (mode.UnderFunctionsHost && dequeueCount >= options.Value.MaxDequeueCount)
        {
            metrics.MessagePoisoned(function);
            throw;
        }
    }
}
