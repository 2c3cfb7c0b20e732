using System.Globalization;
using NodaTime;
using OnCall.Core.Ports;

namespace OnCall.Core.Incidents;

/// <summary>What a step wants done, read from the incident as stored now.</summary>
public abstract record StepPlan
{
    private StepPlan()
    {
    }

    /// <summary>Done, or not wanted yet.</summary>
    public sealed record NothingToDo : StepPlan;

    /// <summary>Not wanted at all: recorded as skipped, with why.</summary>
    public sealed record Skip(string Why) : StepPlan;

    /// <summary>Bring the other side to <see cref="Target"/> (a Statuspage status, <c>created</c>).</summary>
    public sealed record Apply(string Target) : StepPlan;

    public static readonly StepPlan Nothing = new NothingToDo();
}

/// <summary>What one turn of a step did; either way but <see cref="NothingToDo"/>, the incident is read again.</summary>
public enum StepOutcome
{
    /// <summary>Nothing to do: the next step may go.</summary>
    NothingToDo,

    /// <summary>It wrote (a result, a skip, a failure).</summary>
    Progressed,

    /// <summary>Another writer changed the incident first.</summary>
    LostRace,
}

/// <summary>What the other side said, to record on the incident: the step's new state and the timeline line.</summary>
public sealed record StepResult(StepState State, string Message);

/// <summary>
/// One external write an incident needs. <see cref="ProcessIncidentEventJob"/> runs every step the same way: plan,
/// skip or claim (an ETag write only one worker wins), do it, record the result on the latest version, or release
/// the claim as failed.
/// </summary>
public abstract class ExternalStep
{
    /// <summary>The timeline kind of the step's lines; its wire form names the step in messages.</summary>
    public abstract TimelineKind Kind { get; }

    public abstract StepState StateOf(Incident incident);

    public abstract Incident WithState(Incident incident, StepState state);

    public abstract StepPlan Plan(Incident incident);

    /// <summary>Does the work; <paramref name="before"/> is the state as it was before this worker claimed it.</summary>
    public abstract Task<StepResult> RunAsync(
        Incident incident,
        StepState before,
        string target,
        CancellationToken cancellationToken = default);
}

/// <summary>Statuspage follows the incident's status while its severity is at the threshold or above.</summary>
public sealed class StatuspageStep(IStatuspage statuspage, IncidentSettings settings) : ExternalStep
{
    private const string ClosedBeforePosted = "Statuspage skipped: the incident was closed before it was posted.";

    public override TimelineKind Kind => TimelineKind.Statuspage;

    public override StepState StateOf(Incident incident) => incident.Statuspage;

    public override Incident WithState(Incident incident, StepState state) => incident with { Statuspage = state };

    public override StepPlan Plan(Incident incident)
    {
        var state = incident.Statuspage;
        if (state.Status == StepStatus.Skipped)
        {
            return StepPlan.Nothing;
        }

        if (!statuspage.IsConfigured)
        {
            return new StepPlan.Skip("Statuspage skipped: the integration is not configured.");
        }

        if (incident.Severity < settings.StatuspageThreshold)
        {
            return new StepPlan.Skip(
                $"Statuspage skipped: severity {IncidentRules.Wire(incident.Severity)} is below the threshold "
                + $"{IncidentRules.Wire(settings.StatuspageThreshold)}.");
        }

        var desired = IncidentRules.StatuspageStatus(incident.Status);
        if (state.Applied == desired)
        {
            return StepPlan.Nothing;
        }

        return state.ExternalId is null && incident.IsClosed && state.Status == StepStatus.None
            ? new StepPlan.Skip(ClosedBeforePosted)
            : new StepPlan.Apply(desired);
    }

    public override async Task<StepResult> RunAsync(
        Incident incident,
        StepState before,
        string target,
        CancellationToken cancellationToken = default)
    {
        // A claim that lapsed or failed mid-create may have created it: look before creating again.
        var mayExist = before.ExternalId is null && before.Status is StepStatus.Pending or StepStatus.Failed;
        var existing = before.ExternalId is { } known ? new StatuspageRecord(known, before.Url)
            : mayExist ? await statuspage.FindAsync(incident.Id, cancellationToken) : null;
        if (existing is null && target == IncidentRules.StatuspageResolved)
        {
            // Never posted (the earlier create did not go through) and over now: nothing to tell the world.
            return new StepResult(new StepState(StepStatus.Skipped, Note: ClosedBeforePosted), ClosedBeforePosted);
        }

        var (impact, componentStatus) = IncidentRules.StatuspageImpact(incident.Severity);
        var post = new StatuspagePost(
            incident.Id,
            incident.Title,
            target,
            incident.StatusMessage ?? incident.Description ?? incident.Title,
            impact,
            incident.Components,
            target == IncidentRules.StatuspageResolved ? "operational" : componentStatus);
        var record = existing is null
            ? await statuspage.CreateAsync(post, cancellationToken)
            : await statuspage.UpdateAsync(existing.Id, post, cancellationToken);
        var outcome = existing is null
            ? StepStatus.Created
            : target == IncidentRules.StatuspageResolved
            ? StepStatus.Resolved
            : StepStatus.Updated;
        return new StepResult(
            new StepState(outcome, record.Id, record.Url ?? existing?.Url, target),
            $"Statuspage incident {record.Id} {IncidentRules.Wire(outcome)}: {target}.");
    }
}

/// <summary>A resolved incident at the threshold or above gets one blameless post-mortem issue.</summary>
public sealed class PostMortemStep(IIncidentRepository repository, IPostMortemTracker postMortems, IncidentSettings settings)
    : ExternalStep
{
    private const string Created = "created";

    public override TimelineKind Kind => TimelineKind.PostMortem;

    public override StepState StateOf(Incident incident) => incident.PostMortem;

    public override Incident WithState(Incident incident, StepState state) => incident with { PostMortem = state };

    public override StepPlan Plan(Incident incident)
    {
        if (incident.Status != IncidentStatus.Resolved || incident.PostMortem.Status is StepStatus.Created or StepStatus.Skipped)
        {
            return StepPlan.Nothing;
        }

        if (!postMortems.IsConfigured)
        {
            return new StepPlan.Skip("Post-mortem skipped: the GitHub integration is not configured.");
        }

        return incident.Severity < settings.PostMortemThreshold
            ? new StepPlan.Skip(
                $"Post-mortem skipped: severity {IncidentRules.Wire(incident.Severity)} is below the threshold "
                + $"{IncidentRules.Wire(settings.PostMortemThreshold)}.")
            : new StepPlan.Apply(Created);
    }

    public override async Task<StepResult> RunAsync(
        Incident incident,
        StepState before,
        string target,
        CancellationToken cancellationToken = default)
    {
        // GitHub has no idempotency key: the hidden marker finds an issue filed by an attempt that died before saving it.
        var since = (incident.ResolvedAt ?? incident.OpenedAt) - Duration.FromHours(1);
        var issue = await postMortems.FindAsync(incident.Id, since, cancellationToken);
        var found = issue is not null;
        if (issue is null)
        {
            var details = new IncidentDetails(incident, await repository.TimelineAsync(incident.Id, cancellationToken));
            var body = PostMortemWriter.Write(details, settings.PostMortemTemplate, settings.PostMortemDueBusinessDays);
            var draft = new PostMortemDraft(incident.Id, PostMortemWriter.Title(incident), body, PostMortemWriter.Labels(incident));
            issue = await postMortems.CreateAsync(draft, cancellationToken);
        }

        var number = issue.Number.ToString(CultureInfo.InvariantCulture);
        return new StepResult(
            new StepState(StepStatus.Created, number, issue.Url, Created),
            found ? $"Post-mortem issue #{number} found (filed by an earlier try)." : $"Post-mortem issue #{number} opened.");
    }
}
