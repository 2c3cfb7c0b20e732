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
    private const int MaxSteps = 20;
    private const string Statuspage = "statuspage";
    private const string PostMortem = "post-mortem";

    public async Task HandleAsync(WorkItem<IncidentEvent> item, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(item);
        try
        {
            // A repeat may follow an opening that stored the incident but failed to list it (and so was answered 5xx).
            await ReconcileAsync(item.Body.IncidentId, ensureListed: item.Body.Kind == "alert", cancellationToken);
        }
        catch (RetryLaterException exception)
        {
            // Asked to wait (rate limit): come back then, without counting it as a failed try. Whole seconds, rounded up,
            // because the queue's visibility timeout is whole seconds and coming back early only waits again.
            await queue.EnqueueAsync(IncidentQueues.Events, item.Body, TimeSpan.FromSeconds(Math.Ceiling(exception.Delay.TotalSeconds)), cancellationToken);
        }
    }

    private async Task ReconcileAsync(string id, bool ensureListed, CancellationToken cancellationToken)
    {
        // Statuspage failing (down, a revoked key) must not keep the post-mortem from being filed: carry on without it,
        // then fail the event so the queue tries Statuspage again. Waiting (a rate limit, another worker on it) is not
        // failing: the post-mortem waits too, so its issue links the Statuspage incident.
        Exception? statuspageFailure = null;
        for (var step = 0; step < MaxSteps; step++)
        {
            if (await repository.FindAsync(id, cancellationToken) is not { } stored)
            {
                break;
            }

            if (step == 0 && ensureListed && !stored.Incident.IsClosed)
            {
                await repository.EnsureListedAsync(stored.Incident, cancellationToken);
            }

            var now = timeProvider.GetCurrentInstant();
            bool? progressed = null;
            if (statuspageFailure is null)
            {
                try
                {
                    progressed = await StatuspageStepAsync(stored, now, cancellationToken);
                }
                catch (Exception exception) when (exception is not (OperationCanceledException or RetryLaterException))
                {
                    statuspageFailure = exception;
                    continue;
                }
            }

            if ((progressed ?? await PostMortemStepAsync(stored, now, cancellationToken)) is null)
            {
                break;
            }
        }

        if (statuspageFailure is not null)
        {
            ExceptionDispatchInfo.Throw(statuspageFailure);
        }
    }

    // Each step: null when it has nothing to do; true when it wrote, false when it lost a race: either way, read again.
    private async Task<bool?> StatuspageStepAsync(StoredIncident stored, Instant now, CancellationToken cancellationToken)
    {
        var incident = stored.Incident;
        var state = incident.Statuspage;
        if (state.State == StepStates.Skipped)
        {
            return null;
        }

        if (!statuspage.IsConfigured || incident.Severity < settings.StatuspageThreshold)
        {
            var why = !statuspage.IsConfigured
                ? "Statuspage skipped: the integration is not configured."
                : $"Statuspage skipped: severity {IncidentRules.Wire(incident.Severity)} is below the threshold {IncidentRules.Wire(settings.StatuspageThreshold)}.";
            return await TrySaveAsync(stored, incident with { Statuspage = new StepState(StepStates.Skipped, Note: why) }, new TimelineEntry(now, Statuspage, why, TimelineEntry.App), cancellationToken);
        }

        var desired = IncidentRules.StatuspageStatus(incident.Status);
        if (state.Applied == desired)
        {
            return null;
        }

        if (state.ExternalId is null && incident.IsClosed && state.State == StepStates.None)
        {
            var why = "Statuspage skipped: the incident was closed before it was posted.";
            return await TrySaveAsync(stored, incident with { Statuspage = new StepState(StepStates.Skipped, Note: why) }, new TimelineEntry(now, Statuspage, why, TimelineEntry.App), cancellationToken);
        }

        if (state.IsClaimedAt(now, settings.ClaimLease))
        {
            throw ClaimedElsewhere(state, now, Statuspage);
        }

        if (state.IsWaitingAt(now))
        {
            throw StillWaiting(state, now, Statuspage);
        }

        var mayExist = state.ExternalId is null && state.State is StepStates.Pending or StepStates.Failed;
        var claim = incident with { Statuspage = state with { State = StepStates.Pending, Target = desired, ClaimedAt = now, RetryAt = null } };
        try
        {
            await repository.SaveAsync(claim, stored.ETag, cancellationToken: cancellationToken);
        }
        catch (ConcurrencyException)
        {
            return false;
        }

        var (impact, componentStatus) = IncidentRules.StatuspageImpact(incident.Severity);
        var post = new StatuspagePost(
            incident.Id,
            incident.Title,
            desired,
            incident.StatusMessage ?? incident.Description ?? incident.Title,
            impact,
            incident.Components,
            desired == "resolved" ? "operational" : componentStatus);
        try
        {
            // A claim that lapsed or failed mid-create may have created it: look before creating again.
            var existing = state.ExternalId is { } known ? new StatuspageRecord(known, state.Url)
                : mayExist ? await statuspage.FindAsync(incident.Id, cancellationToken) : null;
            if (existing is null && desired == "resolved")
            {
                // Never posted (the earlier create did not go through) and over now: nothing to tell the world.
                var why = "Statuspage skipped: the incident was closed before it was posted.";
                await UpdateAsync(incident.Id, i => i with { Statuspage = new StepState(StepStates.Skipped, Note: why) }, new TimelineEntry(timeProvider.GetCurrentInstant(), Statuspage, why, TimelineEntry.App), cancellationToken);
                return true;
            }

            var record = existing is null
                ? await statuspage.CreateAsync(post, cancellationToken)
                : await statuspage.UpdateAsync(existing.Id, post, cancellationToken);
            var outcome = existing is null ? StepStates.Created : desired == "resolved" ? StepStates.Resolved : StepStates.Updated;
            await UpdateAsync(
                incident.Id,
                i => i with { Statuspage = new StepState(outcome, record.Id, record.Url ?? existing?.Url, desired) },
                new TimelineEntry(timeProvider.GetCurrentInstant(), Statuspage, $"Statuspage incident {record.Id} {outcome}: {desired}.", TimelineEntry.App),
                cancellationToken);
            return true;
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            await ReleaseAsync(incident.Id, i => i with { Statuspage = i.Statuspage with { State = StepStates.Failed, ClaimedAt = null, Note = exception.Message, RetryAt = RetryAtAfter(exception) } }, Statuspage, exception, cancellationToken);
            throw;
        }
    }

    private async Task<bool?> PostMortemStepAsync(StoredIncident stored, Instant now, CancellationToken cancellationToken)
    {
        var incident = stored.Incident;
        var state = incident.PostMortem;
        if (incident.Status != IncidentStatus.Resolved || state.State is StepStates.Created or StepStates.Skipped)
        {
            return null;
        }

        if (!postMortems.IsConfigured || incident.Severity < settings.PostMortemThreshold)
        {
            var why = !postMortems.IsConfigured
                ? "Post-mortem skipped: the GitHub integration is not configured."
                : $"Post-mortem skipped: severity {IncidentRules.Wire(incident.Severity)} is below the threshold {IncidentRules.Wire(settings.PostMortemThreshold)}.";
            return await TrySaveAsync(stored, incident with { PostMortem = new StepState(StepStates.Skipped, Note: why) }, new TimelineEntry(now, PostMortem, why, TimelineEntry.App), cancellationToken);
        }

        if (state.IsClaimedAt(now, settings.ClaimLease))
        {
            throw ClaimedElsewhere(state, now, PostMortem);
        }

        if (state.IsWaitingAt(now))
        {
            throw StillWaiting(state, now, PostMortem);
        }

        var claim = incident with { PostMortem = state with { State = StepStates.Pending, Target = "created", ClaimedAt = now, RetryAt = null } };
        try
        {
            await repository.SaveAsync(claim, stored.ETag, cancellationToken: cancellationToken);
        }
        catch (ConcurrencyException)
        {
            return false;
        }

        try
        {
            // GitHub has no idempotency key: the hidden marker finds an issue filed by an attempt that died before saving it.
            var since = (incident.ResolvedAt ?? incident.OpenedAt) - Duration.FromHours(1);
            var issue = await postMortems.FindAsync(incident.Id, since, cancellationToken);
            var found = issue is not null;
            if (issue is null)
            {
                var details = new IncidentDetails(incident, await repository.TimelineAsync(incident.Id, cancellationToken));
                var body = PostMortemWriter.Write(details, settings.PostMortemTemplate, settings.PostMortemDueBusinessDays);
                issue = await postMortems.CreateAsync(new PostMortemDraft(incident.Id, PostMortemWriter.Title(incident), body, PostMortemWriter.Labels(incident)), cancellationToken);
            }

            await UpdateAsync(
                incident.Id,
                i => i with { PostMortem = new StepState(StepStates.Created, issue.Number.ToString(System.Globalization.CultureInfo.InvariantCulture), issue.Url, "created") },
                new TimelineEntry(timeProvider.GetCurrentInstant(), PostMortem, found ? $"Post-mortem issue #{issue.Number} found (filed by an earlier try)." : $"Post-mortem issue #{issue.Number} opened.", TimelineEntry.App),
                cancellationToken);
            return true;
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            await ReleaseAsync(incident.Id, i => i with { PostMortem = i.PostMortem with { State = StepStates.Failed, ClaimedAt = null, Note = exception.Message, RetryAt = RetryAtAfter(exception) } }, PostMortem, exception, cancellationToken);
            throw;
        }
    }

    /// <summary>
    /// Another worker holds the step: look again when its claim ends. Not "nothing to do": if that worker died, this
    /// event (or its own, back on the queue) is what finishes the step once the claim has lapsed.
    /// </summary>
    private RetryLaterException ClaimedElsewhere(StepState state, Instant now, string step) =>
        new((state.ClaimedAt!.Value + settings.ClaimLease - now).ToTimeSpan() + TimeSpan.FromSeconds(1), $"{step} is being done by another worker");

    /// <summary>
    /// The other side asked for a pause: every event waits for it, so another event for this incident (a repeated
    /// resolve, the opening event arriving late) cannot send the request that <c>Retry-After</c> told us not to.
    /// </summary>
    private static RetryLaterException StillWaiting(StepState state, Instant now, string step) =>
        new((state.RetryAt!.Value - now).ToTimeSpan(), $"{step} waits until {state.RetryAt.Value} as asked");

    private Instant? RetryAtAfter(Exception exception) =>
        exception is RetryLaterException retry ? timeProvider.GetCurrentInstant() + Duration.FromTimeSpan(retry.Delay) : null;

    private async Task<bool> TrySaveAsync(StoredIncident stored, Incident changed, TimelineEntry entry, CancellationToken cancellationToken)
    {
        try
        {
            await repository.SaveAsync(changed, stored.ETag, entry, cancellationToken);
        }
        catch (ConcurrencyException)
        {
            // Someone else wrote first; the next round reads again.
        }

        return true;
    }

    /// <summary>Saves a step's result on the latest version: people may have changed the status meanwhile.</summary>
    private async Task UpdateAsync(string id, Func<Incident, Incident> change, TimelineEntry entry, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var latest = await repository.FindAsync(id, cancellationToken) ?? throw new NotFoundException("Incident", id);
            try
            {
                await repository.SaveAsync(change(latest.Incident), latest.ETag, entry, cancellationToken);
                return;
            }
            catch (ConcurrencyException) when (attempt < MaxSteps)
            {
                // Read again and reapply.
            }
        }
    }

    private async Task ReleaseAsync(string id, Func<Incident, Incident> change, string step, Exception exception, CancellationToken cancellationToken)
    {
        var detail = exception is RetryLaterException ? exception.Message : $"failed ({exception.GetType().Name}); will retry";
        try
        {
            await UpdateAsync(id, change, new TimelineEntry(timeProvider.GetCurrentInstant(), step, $"{step} {detail}.", TimelineEntry.App), cancellationToken);
        }
        catch (Exception release) when (release is not OperationCanceledException)
        {
            // The claim then lapses after its lease; the original failure is what the caller must hear.
            logger.LogWarning("Releasing the {Step} claim of incident {IncidentId} failed ({ExceptionType}); it lapses after its lease.", step, id, release.GetType().Name);
        }
    }
}
