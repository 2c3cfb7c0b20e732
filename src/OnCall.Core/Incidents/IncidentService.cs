using NodaTime;
using OnCall.Core.Diagnostics;
using OnCall.Core.Errors;
using OnCall.Core.Jobs;
using OnCall.Core.Ports;
using OnCall.Core.Rotations;
using OnCall.Core.Time;

namespace OnCall.Core.Incidents;

/// <summary>What a webhook caller hears: the incident, its status, and whether the alert was one we had already.</summary>
public sealed record IngestResult(string? Id, IncidentStatus? Status, bool Duplicate);

/// <summary>Incidents: opening them once per key from alerts, status changes, reads.</summary>
public sealed class IncidentService(
    IIncidentRepository repository,
    IWorkQueueSender queue,
    RotationService rotations,
    IncidentSettings settings,
    OnCallMetrics metrics,
    TimeProvider timeProvider)
{
    // Enough for every racing writer to get through: each lost round means another request won.
    private const int Rounds = 10;

    /// <summary>
    /// Opens an incident for the alert's key, or adds the alert to the open one, or resolves it; returns once the
    /// incident is stored and its event is queued (the caller answers 2xx only then).
    /// </summary>
    public async Task<IngestResult> IngestAsync(Alert alert, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(alert);
        for (var round = 1; ; round++)
        {
            var now = timeProvider.GetCurrentInstant();

            // The commander is looked up while the key is read, so opening costs one round trip less; for a
            // duplicate the lookup is wasted, which is cheaper than making every new incident wait for it.
            var rotationId = alert.RotationId ?? settings.DefaultRotation;
            var openIdTask = repository.FindOpenIdAsync(alert.Source, alert.DedupKey, cancellationToken);
            var commanderTask = alert.Resolved || rotationId is null ? Task.FromResult<Member?>(null) : CommanderAsync(rotationId, now, cancellationToken);
            await Task.WhenAll(openIdTask, commanderTask);
            var openId = await openIdTask;
            if (openId is null)
            {
                if (alert.Resolved)
                {
                    // Nothing open for this key: a repeated resolve, or a resolve of something never opened. The resolve
                    // that closed it may have been answered 5xx after saving but before queuing (the sender retries
                    // exactly then), so its event is queued again; processing is idempotent, so a true repeat is a no-op.
                    var last = await repository.FindLastIdAsync(alert.Source, alert.DedupKey, cancellationToken);
                    if (last is not null)
                    {
                        await EnqueueAsync(last, "resolved", cancellationToken);
                    }

                    metrics.WebhookDeduplicated(alert.Source);

                    return new IngestResult(last, last is null ? null : IncidentStatus.Resolved, true);
                }

                var incident = NewIncident(alert, rotationId, await commanderTask, now);
                var opened = new TimelineEntry(now, "opened", WithNotes(OpenedMessage(incident), alert), alert.Source);
                if (await repository.OpenAsync(incident, opened, cancellationToken))
                {
                    await EnqueueAsync(incident.Id, "opened", cancellationToken);
                    metrics.IncidentOpened(alert.Source, IncidentRules.Wire(incident.Severity));
                    return new IngestResult(incident.Id, incident.Status, false);
                }
            }
            else if (await repository.FindAsync(openId, cancellationToken) is { Incident.IsClosed: false } stored)
            {
                if (!alert.Resolved)
                {
                    await repository.AppendAsync(openId, new TimelineEntry(now, "alert", WithNotes($"Alert received again: {alert.Title}", alert), alert.Source), cancellationToken);
                    await EnqueueAsync(openId, "alert", cancellationToken);
                    metrics.WebhookDeduplicated(alert.Source);
                    return new IngestResult(openId, stored.Incident.Status, true);
                }

                try
                {
                    var resolved = stored.Incident with { Status = IncidentStatus.Resolved, ResolvedAt = now, StatusMessage = "Resolved: the alert cleared." };
                    await repository.SaveAsync(resolved, stored.ETag, new TimelineEntry(now, "resolved", WithNotes("The alert cleared.", alert), alert.Source), cancellationToken);
                    await EnqueueAsync(openId, "resolved", cancellationToken);
                    return new IngestResult(openId, IncidentStatus.Resolved, false);
                }
                catch (ConcurrencyException) when (round < Rounds)
                {
                    // Changed between read and write: read again.
                }
            }

            if (round >= Rounds)
            {
                throw new ConcurrencyException("Incident", alert.DedupKey);
            }
        }
    }

    /// <summary>
    /// A person moves the incident on (acknowledged … resolved, canceled); 409 for a move the rules refuse. Asking for
    /// the status it already has changes nothing and answers as the first time did.
    /// </summary>
    public async Task<IncidentDetails> SetStatusAsync(string id, IncidentStatus status, string? message, string? by = null, CancellationToken cancellationToken = default)
    {
        RequireId(id);
        await Optimistic.RetryAsync(async () =>
        {
            var stored = await repository.FindAsync(id, cancellationToken) ?? throw new NotFoundException("Incident", id);
            var from = stored.Incident.Status;
            if (from == status)
            {
                // A repeat, e.g. a retry after a 5xx that came after the save: nothing to write, but the event is
                // queued again below in case the first attempt never queued it.
                return false;
            }

            if (!IncidentRules.CanMove(from, status))
            {
                throw new ConflictException("status", $"incident '{id}' is {IncidentRules.Wire(from)} and cannot become {IncidentRules.Wire(status)}.");
            }

            var now = timeProvider.GetCurrentInstant();
            var text = string.IsNullOrWhiteSpace(message) ? $"Status changed to {IncidentRules.Wire(status)}." : message.Trim();
            var changed = stored.Incident with
            {
                Status = status,
                StatusMessage = text,
                ResolvedAt = status is IncidentStatus.Resolved or IncidentStatus.Canceled ? now : stored.Incident.ResolvedAt,
            };
            await repository.SaveAsync(changed, stored.ETag, new TimelineEntry(now, IncidentRules.Wire(status), text, string.IsNullOrWhiteSpace(by) ? TimelineEntry.AdminKey : by), cancellationToken);
            return true;
        });
        await EnqueueAsync(id, "status", cancellationToken);
        return await GetAsync(id, cancellationToken);
    }

    public async Task<IncidentDetails> GetAsync(string id, CancellationToken cancellationToken = default)
    {
        RequireId(id);
        var stored = await repository.FindAsync(id, cancellationToken) ?? throw new NotFoundException("Incident", id);
        return new IncidentDetails(stored.Incident, await repository.TimelineAsync(id, cancellationToken));
    }

    public Task<IReadOnlyList<Incident>> ListAsync(IncidentStatus? status = null, CancellationToken cancellationToken = default) =>
        repository.ListAsync(status, cancellationToken);

    /// <summary>The incidents not yet resolved or canceled, of one rotation or of all, each with its commander.</summary>
    public Task<IReadOnlyList<Incident>> ListActiveAsync(string? rotationId = null, CancellationToken cancellationToken = default) =>
        repository.ListActiveAsync(rotationId is null ? null : RotationRules.RequireId(rotationId, "rotation"), cancellationToken);

    /// <summary>Incident ids are <c>yyyyMMddHHmmss-&lt;key hash&gt;-&lt;random&gt;</c>; anything else is a 404, not a storage query.</summary>
    public static string RequireId(string id) =>
        IncidentIds.PartitionOf(id) is null ? throw new NotFoundException("Incident", id) : id;

    private static Incident NewIncident(Alert alert, string? rotationId, Member? commander, Instant now) =>
        new(
            IncidentIds.New(alert.Source, alert.DedupKey, now),
            alert.Source,
            alert.DedupKey,
            alert.Title,
            alert.Severity,
            IncidentStatus.Open,
            rotationId,
            alert.Service,
            alert.Description,
            alert.Components,
            commander,
            now)
        {
            Link = alert.Link,
        };

    /// <summary>Who is primary on call: the layer named primary, else the rotation's first layer; null for an unknown rotation.</summary>
    private async Task<Member?> CommanderAsync(string rotationId, Instant now, CancellationToken cancellationToken)
    {
        RotationAggregate? aggregate;
        try
        {
            aggregate = await rotations.GetAsync(rotationId, cancellationToken);
        }
        catch (OnCallException)
        {
            return null;
        }

        var onCall = ShiftExpander.OnCallAt(aggregate.Rotation, aggregate.Overrides, now);
        var primary = onCall.FirstOrDefault(s => string.Equals(s.Layer, "primary", StringComparison.OrdinalIgnoreCase))
            ?? aggregate.Rotation.Settings.Layers.Select(l => onCall.FirstOrDefault(s => s.Layer == l.Name)).FirstOrDefault(s => s is not null);
        return primary?.Member;
    }

    private static string OpenedMessage(Incident incident) =>
        incident.Commander is { } commander
            ? $"Opened ({IncidentRules.Wire(incident.Severity)}); commander {commander.Name}."
            : incident.RotationId is null
                ? $"Opened ({IncidentRules.Wire(incident.Severity)}); no rotation named, so no commander."
                : $"Opened ({IncidentRules.Wire(incident.Severity)}); no commander: rotation '{incident.RotationId}' does not exist or has nobody on call.";

    private static string WithNotes(string message, Alert alert) =>
        alert.Notes is { Count: > 0 } notes ? $"{message} {string.Join(" ", notes)}" : message;

    /// <summary>Queues the event with the current trace context, so its processing continues this trace.</summary>
    private Task EnqueueAsync(string id, string kind, CancellationToken cancellationToken)
    {
        OnCallTelemetry.Tag(OnCallTelemetry.IncidentAttribute, id);
        var (traceParent, traceState) = OnCallTelemetry.CurrentContext();
        return queue.EnqueueAsync(IncidentQueues.Events, new IncidentEvent(id, kind, traceParent, traceState), cancellationToken: cancellationToken);
    }
}
