namespace OnCall.Core.Jobs;

/// <summary>The work behind a timer function; the host decides when it runs.</summary>
public interface ITimerJob
{
    Task RunAsync(CancellationToken cancellationToken = default);
}
