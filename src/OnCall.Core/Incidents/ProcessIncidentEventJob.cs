using Microsoft.Extensions.Logging;
using System.Runtime.ExceptionServices;
using NodaTime;
using OnCall.Core.Errors;
using OnCall.Core.Jobs;
using OnCall.Core.Ports;
using OnCall.Core.Time;

namespace OnCall.Core.Incidents;

/// <summary>
/// Brings Statuspage and the post-mortem issue in line with the incident as stored now, whatever the event says:
/// a repeated or late event finds nothing left to do. Each external write is claimed on the incident first (an
/// ETag write that only one worker wins), and its result saved at once, so concurrent duplicates write once; an event
/// that finds a step claimed comes back when the claim ends.
/// </summary>
public sealed class ProcessIncidentEventJob(
    IIncidentRepository repository,
    IStatuspage statuspage,
    IPostMortemTracker postMortems,
    IWorkQueueSender queue,
    IncidentSettings settings,
    TimeProvider timeProvider,
    ILogger<ProcessIncidentEventJob> logger) : IQueueJob<IncidentEvent>
{
    /// <summary>Rounds of read-and-act per event, and attempts at recording a step's result on the latest version.</summary>
    private const int MaxSteps = 20;

    private readonly StatuspageStep _statuspage = new(statuspage, settings);
    private readonly PostMortemStep _postMortem = new(repository, postMortems, settings);

    public async Task HandleAsync(WorkItem<IncidentEvent> item, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(item);
        try
        {
            // A repeat may follow an opening that stored the incident but failed to list it (and so was answered 5xx).
            await ReconcileAsync(item.Body.IncidentId, ensureListed: item.Body.Kind == IncidentEvent.Alert, cancellationToken);
        }
        catch (RetryLaterException exception)
        {
            // Asked to wait (rate limit): come back then, without counting it as a failed try. Whole seconds, rounded
            // up, because the queue's visibility timeout is whole seconds and coming back early only waits again.
            var delay = TimeSpan.FromSeconds(Math.Ceiling(exception.Delay.TotalSeconds));
            await queue.EnqueueAsync(IncidentQueues.Events, item.Body, delay, cancellationToken);
        }
    }

    private async Task ReconcileAsync(string id, bool ensureListed, CancellationToken cancellationToken)
    {
        // Statuspage failing (down, a revoked key) must not keep the post-mortem from being filed: carry on without it,
        // then fail the event so the queue tries Statuspage again. Waiting (a rate limit, another worker on it) is not
        // failing: the post-mortem waits too, so its issue links the Statuspage incident.
        Exception? statuspageFailure = null;
        for (var round = 0; round < MaxSteps; round++)
        {
            if (await repository.FindAsync(id, cancellationToken) is not { } stored)
            {
                break;
            }

            if (round == 0 && ensureListed && !stored.Incident.IsClosed)
            {
                await repository.EnsureListedAsync(stored.Incident, cancellationToken);
            }

            var outcome = StepOutcome.NothingToDo;
            if (statuspageFailure is null)
            {
                try
                {
                    outcome = await StepAsync(_statuspage, stored, cancellationToken);
                }
                catch (Exception exception) when (exception is not (OperationCanceledException or RetryLaterException))
                {
                    statuspageFailure = exception;
                    continue;
                }
            }

            if (outcome == StepOutcome.NothingToDo)
            {
                outcome = await StepAsync(_postMortem, stored, cancellationToken);
            }

            if (outcome == StepOutcome.NothingToDo)
            {
                break;
            }
        }

        if (statuspageFailure is not null)
        {
            ExceptionDispatchInfo.Throw(statuspageFailure);
        }
    }

    /// <summary>One turn of a step, the same for every step: skip, or claim, do, and record; or release as failed.</summary>
    private async Task<StepOutcome> StepAsync(ExternalStep step, StoredIncident stored, CancellationToken cancellationToken)
    {
        var incident = stored.Incident;
        var state = step.StateOf(incident);
        var now = timeProvider.GetCurrentInstant();
        string target;
        switch (step.Plan(incident))
        {
            case StepPlan.Skip skip:
            {
                var skipped = step.WithState(incident, new StepState(StepStatus.Skipped, Note: skip.Why));
                var saved = await Optimistic.TryAsync(
                    () => repository.SaveAsync(skipped, stored.ETag, Line(step, skip.Why, now), cancellationToken),
                    attempts: 1);
                return saved ? StepOutcome.Progressed : StepOutcome.LostRace;
            }

            case StepPlan.Apply apply:
                target = apply.Target;
                break;

            default:
                return StepOutcome.NothingToDo;
        }

        if (state.IsClaimedAt(now, settings.ClaimLease))
        {
            throw ClaimedElsewhere(state, now, step);
        }

        if (state.IsWaitingAt(now))
        {
            throw StillWaiting(state, now, step);
        }

        var claim = step.WithState(incident, state with { Status = StepStatus.Pending, Target = target, ClaimedAt = now, RetryAt = null });
        var claimed = await Optimistic.TryAsync(
            () => repository.SaveAsync(claim, stored.ETag, cancellationToken: cancellationToken),
            attempts: 1);
        if (!claimed)
        {
            return StepOutcome.LostRace;
        }

        try
        {
            var result = await step.RunAsync(incident, state, target, cancellationToken);
            await UpdateAsync(incident.Id, i => step.WithState(i, result.State), Line(step, result.Message), cancellationToken);
            return StepOutcome.Progressed;
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            await ReleaseAsync(incident.Id, step, exception, cancellationToken);
            throw;
        }
    }

    /// <summary>
    /// Another worker holds the step: look again when its claim ends. Not "nothing to do": if that worker died, this
    /// event (or its own, back on the queue) is what finishes the step once the claim has lapsed.
    /// </summary>
    private RetryLaterException ClaimedElsewhere(StepState state, Instant now, ExternalStep step) =>
        new(
            (state.ClaimedAt!.Value + settings.ClaimLease - now).ToTimeSpan() + TimeSpan.FromSeconds(1),
            $"{IncidentRules.Wire(step.Kind)} is being done by another worker");

    /// <summary>
    /// The other side asked for a pause: every event waits for it, so another event for this incident (a repeated
    /// resolve, the opening event arriving late) cannot send the request that <c>Retry-After</c> told us not to.
    /// </summary>
    private static RetryLaterException StillWaiting(StepState state, Instant now, ExternalStep step) =>
        new((state.RetryAt!.Value - now).ToTimeSpan(), $"{IncidentRules.Wire(step.Kind)} waits until {state.RetryAt.Value} as asked");

    private TimelineEntry Line(ExternalStep step, string message, Instant? at = null) =>
        new(at ?? timeProvider.GetCurrentInstant(), step.Kind, message, TimelineEntry.App);

    /// <summary>Saves a step's result on the latest version: people may have changed the status meanwhile.</summary>
    private Task UpdateAsync(string id, Func<Incident, Incident> change, TimelineEntry entry, CancellationToken cancellationToken) =>
        Optimistic.RetryAsync(
            async () =>
            {
                var latest = await repository.FindAsync(id, cancellationToken) ?? throw new NotFoundException("Incident", id);
                await repository.SaveAsync(change(latest.Incident), latest.ETag, entry, cancellationToken);
            },
            MaxSteps);

    /// <summary>Marks the claimed step failed, with when to come back if the other side said.</summary>
    private async Task ReleaseAsync(string id, ExternalStep step, Exception exception, CancellationToken cancellationToken)
    {
        var name = IncidentRules.Wire(step.Kind);
        var detail = exception is RetryLaterException ? exception.Message : $"failed ({exception.GetType().Name}); will retry";
        Instant? retryAt = exception is RetryLaterException retry
            ? timeProvider.GetCurrentInstant() + Duration.FromTimeSpan(retry.Delay)
            : null;
        try
        {
            await UpdateAsync(
                id,
                i => step.WithState(i, step.StateOf(i) with
                {
                    Status = StepStatus.Failed, ClaimedAt = null, Note = exception.Message, RetryAt = retryAt,
                }),
                Line(step, $"{name} {detail}."),
                cancellationToken);
        }
        catch (Exception release) when (release is not OperationCanceledException)
        {
            // The claim then lapses after its lease; the original failure is what the caller must hear.
            logger.LogWarning(
                "Releasing the {Step} claim of incident {IncidentId} failed ({ExceptionType}); it lapses after its lease.",
                name,
                id,
                release.GetType().Name);
        }
    }
}
