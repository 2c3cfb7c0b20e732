using OnCall.Core.Jobs;
using OnCall.Core.Time;

namespace OnCall.Core.Handoffs;

/// <summary>Records every shift change of the last and next 24 hours that has no handoff yet.</summary>
public sealed class PlanHandoffsJob(HandoffService handoffs, TimeProvider timeProvider) : ITimerJob
{
    public Task RunAsync(CancellationToken cancellationToken = default) =>
        handoffs.PlanAsync(timeProvider.GetCurrentInstant(), cancellationToken);
}

/// <summary>Flags handoffs past their grace as missed and tells the supervisor; escalates, reminds and retries.</summary>
public sealed class FlagMissedHandoffsJob(HandoffService handoffs, TimeProvider timeProvider) : ITimerJob
{
    public Task RunAsync(CancellationToken cancellationToken = default) =>
        handoffs.FlagMissedAsync(timeProvider.GetCurrentInstant(), cancellationToken);
}
