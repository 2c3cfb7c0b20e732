using System.Collections.Concurrent;
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
    IncidentSettings settings,
    RecentRotations rotations,
    OnCallMetrics metrics,
    TimeProvider timeProvider)
{
    // Enough for every racing writer to get through: each lost round means another request won.
    private const int Rounds = 10;

    private const int MaxOpenKeys = 10_000;

    // Keys this process has seen open, and the incident each names (key hash → incident id).
    private readonly ConcurrentDictionary<string, string> _openKeys = new(StringComparer.Ordinal);

    /// <summary>
    /// Opens an incident for the alert's key, or adds the alert to the open one, or resolves it; returns once the
    /// incident is stored and its event is queued (the caller answers 2xx only then).
    /// </summary>
    /// <remarks>
    /// A firing alert costs two dependent storage round trips on each path this process has seen before: opening is
    /// the opening transaction (whose insert of the key's open row is what detects an open key; the active-incident
    /// marker is written beside it) then the queue message; a repeat of a key this process knows open reads that
    /// incident, then adds the timeline entry and queues the event together. The commander comes from
    /// <see cref="RecentRotations"/>.
    /// </remarks>
    public async Task<IngestResult> IngestAsync(Alert alert, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(alert);
        var key = IncidentIds.KeyHash(alert.Source, alert.DedupKey);
        return await Optimistic.RetryAsync(
            async () =>
            {
                var now = timeProvider.GetCurrentInstant();
                return alert.Resolved
                    ? await ResolveAsync(alert, key, now, cancellationToken)
                    : await FireAsync(alert, key, now, cancellationToken);
            },
            Rounds);
    }

    /// <summary>
    /// Opens the key's incident, or adds the alert to the open one; <see cref="ConcurrencyException"/> when the key
    /// changed meanwhile (go again).
    /// </summary>
    private async Task<IngestResult> FireAsync(Alert alert, string key, Instant now, CancellationToken cancellationToken)
    {
        // While an incident is not closed its key's open row names it, so a repeat needs only the incident itself.
        if (_openKeys.TryGetValue(key, out var knownId))
        {
            if (await repository.FindAsync(knownId, cancellationToken) is { Incident.IsClosed: false } known)
            {
                return await RepeatAsync(known, alert, now, cancellationToken);
            }

            _openKeys.TryRemove(key, out _);
        }

        var rotationId = alert.RotationId ?? settings.DefaultRotation;
        var commander = rotationId is null ? null : await CommanderAsync(rotationId, now, cancellationToken);
        var incident = NewIncident(alert, rotationId, commander, now);
        var opened = new TimelineEntry(now, TimelineKind.Opened, WithNotes(OpenedMessage(incident), alert), alert.Source);
        if (await repository.OpenAsync(incident, opened, cancellationToken))
        {
            Remember(key, incident.Id);
            await EnqueueAsync(incident.Id, IncidentEvent.Opened, cancellationToken);
            metrics.IncidentOpened(alert.Source, IncidentRules.Wire(incident.Severity));
            return new IngestResult(incident.Id, incident.Status, false);
        }

        // The key is open already (another request opened it, here or elsewhere): this alert repeats it.
        var openId = await repository.FindOpenIdAsync(alert.Source, alert.DedupKey, cancellationToken);
        if (openId is not null && await repository.FindAsync(openId, cancellationToken) is { Incident.IsClosed: false } stored)
        {
            Remember(key, openId);
            return await RepeatAsync(stored, alert, now, cancellationToken);
        }

        // Closed between the insert that found it open and this read: go again.
        throw new ConcurrencyException("Incident", alert.DedupKey);
    }

    /// <summary>
    /// Resolves the key's open incident; a resolve of nothing open answers as a repeat. <see cref="ConcurrencyException"/>
    /// when the key changed meanwhile (go again).
    /// </summary>
    private async Task<IngestResult> ResolveAsync(Alert alert, string key, Instant now, CancellationToken cancellationToken)
    {
        _openKeys.TryRemove(key, out _);
        var openId = await repository.FindOpenIdAsync(alert.Source, alert.DedupKey, cancellationToken);
        if (openId is null)
        {
            // Nothing open for this key: a repeated resolve, or a resolve of something never opened. The resolve
            // that closed it may have been answered 5xx after saving but before queuing (the sender retries
            // exactly then), so its event is queued again; processing is idempotent, so a true repeat is a no-op.
            var last = await repository.FindLastIdAsync(alert.Source, alert.DedupKey, cancellationToken);
            if (last is not null)
            {
                await EnqueueAsync(last, IncidentEvent.Resolved, cancellationToken);
            }

            metrics.WebhookDeduplicated(alert.Source);
            return new IngestResult(last, last is null ? null : IncidentStatus.Resolved, true);
        }

        if (await repository.FindAsync(openId, cancellationToken) is not { Incident.IsClosed: false } stored)
        {
            throw new ConcurrencyException("Incident", alert.DedupKey);
        }

        var resolved = stored.Incident with
        {
            Status = IncidentStatus.Resolved,
            ResolvedAt = now,
            StatusMessage = "Resolved: the alert cleared.",
        };
        await repository.SaveAsync(
            resolved,
            stored.ETag,
            new TimelineEntry(now, TimelineKind.Resolved, WithNotes("The alert cleared.", alert), alert.Source),
            cancellationToken);
        await EnqueueAsync(openId, IncidentEvent.Resolved, cancellationToken);
        return new IngestResult(openId, IncidentStatus.Resolved, false);
    }

    /// <summary>The alert again, for an open incident: its timeline entry and its event, written together.</summary>
    private async Task<IngestResult> RepeatAsync(StoredIncident stored, Alert alert, Instant now, CancellationToken cancellationToken)
    {
        var id = stored.Incident.Id;
        await Task.WhenAll(
            repository.AppendAsync(
                id,
                new TimelineEntry(now, TimelineKind.Alert, WithNotes($"Alert received again: {alert.Title}", alert), alert.Source),
                cancellationToken),
            EnqueueAsync(id, IncidentEvent.Alert, cancellationToken));
        metrics.WebhookDeduplicated(alert.Source);
        return new IngestResult(id, stored.Incident.Status, true);
    }

    /// <summary>Remembers which incident a key has open; forgotten when this process resolves it or finds it closed.</summary>
    private void Remember(string key, string id)
    {
        if (_openKeys.Count >= MaxOpenKeys)
        {
            // An alert storm of distinct keys: start over rather than grow without bound; a forgotten key only costs a read.
            _openKeys.Clear();
        }

        _openKeys[key] = id;
    }

    /// <summary>
    /// A person moves the incident on (acknowledged … resolved, canceled); 409 for a move the rules refuse. Asking for
    /// the status it already has changes nothing and answers as the first time did.
    /// </summary>
    public async Task<IncidentDetails> SetStatusAsync(
        string id,
        IncidentStatus status,
        string? message,
        string? by = null,
        CancellationToken cancellationToken = default)
    {
        RequireId(id);
        var errors = new ValidationErrors();
        if (message is { Length: > IncidentRules.MaxTextLength })
        {
            errors.Add("message", $"must be at most {IncidentRules.MaxTextLength} characters.");
        }

        if (by is { Length: > IncidentRules.MaxTitleLength })
        {
            errors.Add("by", $"must be at most {IncidentRules.MaxTitleLength} characters.");
        }

        errors.ThrowIfAny();
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
                throw new ConflictException(
                    "status",
                    $"incident '{id}' is {IncidentRules.Wire(from)} and cannot become {IncidentRules.Wire(status)}.");
            }

            var now = timeProvider.GetCurrentInstant();
            var text = string.IsNullOrWhiteSpace(message) ? $"Status changed to {IncidentRules.Wire(status)}." : message.Trim();
            var changed = stored.Incident with
            {
                Status = status,
                StatusMessage = text,
                ResolvedAt = status is IncidentStatus.Resolved or IncidentStatus.Canceled ? now : stored.Incident.ResolvedAt,
            };
            await repository.SaveAsync(
                changed,
                stored.ETag,
                new TimelineEntry(now, TimelineEntry.KindOf(status), text, string.IsNullOrWhiteSpace(by) ? TimelineEntry.AdminKey : by),
                cancellationToken);
            return true;
        }, Rounds);
        await EnqueueAsync(id, IncidentEvent.Status, cancellationToken);
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

    /// <summary>
    /// Incident ids are <c>yyyyMMddHHmmss-&lt;key hash&gt;-&lt;random&gt;</c>; anything else is a 404, not a storage
    /// query.
    /// </summary>
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
        try
        {
            RotationRules.RequireId(rotationId, "rotation");
        }
        catch (OnCallException)
        {
            return null;
        }

        if (await rotations.FindAsync(rotationId, cancellationToken) is not { } aggregate)
        {
            return null;
        }

        var onCall = ShiftExpander.OnCallAt(aggregate.Rotation, aggregate.Overrides, now);
        var primary = onCall.FirstOrDefault(s => string.Equals(s.Layer, "primary", StringComparison.OrdinalIgnoreCase))
            ?? aggregate.Rotation.Settings.Layers
                .Select(l => onCall.FirstOrDefault(s => s.Layer == l.Name))
                .FirstOrDefault(s => s is not null);
        return primary?.Member;
    }

    private static string OpenedMessage(Incident incident) =>
        incident.Commander is { } commander
            ? $"Opened ({IncidentRules.Wire(incident.Severity)}); commander {commander.Name}."
            : incident.RotationId is null
                ? $"Opened ({IncidentRules.Wire(incident.Severity)}); no rotation named, so no commander."
                : $"Opened ({IncidentRules.Wire(incident.Severity)}); no commander: rotation '{incident.RotationId}' does "
                  + "not exist or has nobody on call.";

    private static string WithNotes(string message, Alert alert) =>
        alert.Notes is { Count: > 0 } notes ? $"{message} {string.Join(" ", notes)}" : message;

    /// <summary>Queues the event with the current trace context, so its processing continues this trace.</summary>
    private Task EnqueueAsync(string id, string kind, CancellationToken cancellationToken)
    {
        OnCallTelemetry.Tag(OnCallTelemetry.IncidentAttribute, id);
        var (traceParent, traceState) = OnCallTelemetry.CurrentContext();
        return queue.EnqueueAsync(
            IncidentQueues.Events,
            new IncidentEvent(id, kind, traceParent, traceState),
            cancellationToken: cancellationToken);
    }
}
