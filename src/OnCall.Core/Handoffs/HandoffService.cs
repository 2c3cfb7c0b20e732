using NodaTime;
using OnCall.Core.Diagnostics;
using OnCall.Core.Errors;
using OnCall.Core.Notifications;
using OnCall.Core.Ports;
using OnCall.Core.Rotations;

namespace OnCall.Core.Handoffs;

/// <summary>Plans handoffs at every shift change, takes acknowledgements, and flags and reports missed ones.</summary>
public sealed class HandoffService(
    IHandoffRepository handoffs,
    IRotationRepository rotations,
    INotifier notifier,
    IEventPublisher events,
    IHandoffLinks links,
    ICarriedOverItems carriedOver,
    HandoffSettings settings,
    OnCallMetrics metrics)
{
    public const int MaxNotes = 2000;

    /// <summary>People and the timers rarely write one handoff at once; a third loss means something keeps writing it.</summary>
    private const int Attempts = 3;

    /// <summary>A planning or flagging write that loses is left to whoever won: the next run sees their version.</summary>
    private const int Once = 1;

    /// <summary>The longest window one listing may cover.</summary>
    public static readonly Duration MaxListRange = Duration.FromDays(31);

    /// <summary>
    /// Records every boundary in [now − 24 h, now + 24 h] that has no record yet, brings pending ones up to date with
    /// the rotation (people changed, boundary gone); returns how many it added.
    /// </summary>
    public async Task<int> PlanAsync(Instant now, CancellationToken cancellationToken = default)
    {
        var from = now - HandoffSettings.PlanWindow;
        var to = now + HandoffSettings.PlanWindow;
        var known = (await handoffs.ListDueAsync(from, to + Duration.Epsilon, cancellationToken: cancellationToken))
            .ToDictionary(h => h.Handoff.Id, StringComparer.Ordinal);
        var planned = new HashSet<string>(StringComparer.Ordinal);
        var openItems = new Dictionary<(string Rotation, string Email), IReadOnlyList<string>?>();
        var added = 0;
        var all = await rotations.ListAsync(cancellationToken);
        foreach (var aggregate in all)
        {
            foreach (var boundary in HandoffPlanner.Boundaries(aggregate.Rotation, aggregate.Overrides, from, to, now))
            {
                planned.Add(boundary.Id);
                known.TryGetValue(boundary.Id, out var existing);

                // Open items are read when the record is made and again while it can be acknowledged, so the incoming
                // engineer sees what is open at the handoff, not a day before; other runs leave them be.
                var items = existing is null
                    || (existing.Handoff.Status == HandoffStatus.Pending && now >= boundary.Due - HandoffSettings.AcknowledgeFrom)
                    ? await OpenItemsAsync(openItems, boundary, cancellationToken)
                    : null;
                var handoff = boundary with { CarriedOver = items ?? existing?.Handoff.CarriedOver ?? [] };
                if (existing is not null)
                {
                    await RefreshAsync(existing, handoff, cancellationToken);
                }

                // Insert-if-absent: another instance planning at the same moment makes the same id, and one insert wins.
                else if (await handoffs.AddIfAbsentAsync(handoff, cancellationToken))
                {
                    added++;
                }
            }
        }

        // A pending handoff whose boundary is gone (an override or a rotation change removed it, or the rotation
        // was deleted) no longer happens: it must not be flagged missed later.
        foreach (var stale in known.Values.Where(h => h.Handoff.Status == HandoffStatus.Pending && !planned.Contains(h.Handoff.Id)))
        {
            await Optimistic.TryAsync(() => handoffs.DeleteAsync(stale.Handoff.Id, stale.ETag, cancellationToken), Once);
        }

        return added;
    }

    /// <summary>The outgoing engineer's open items, read once per rotation and person in a planning run.</summary>
    private async Task<IReadOnlyList<string>?> OpenItemsAsync(
        Dictionary<(string Rotation, string Email), IReadOnlyList<string>?> cache,
        Handoff boundary,
        CancellationToken cancellationToken)
    {
        var key = (boundary.RotationId, boundary.Outgoing.Email.ToUpperInvariant());
        if (!cache.TryGetValue(key, out var items))
        {
            items = await carriedOver.ForAsync(boundary.RotationId, boundary.Outgoing, cancellationToken);
            cache[key] = items;
        }

        return items;
    }

    public async Task<IReadOnlyList<Handoff>> ListAsync(
        Instant from,
        Instant to,
        HandoffStatus? status,
        string? rotationId,
        CancellationToken cancellationToken = default)
    {
        if (rotationId is not null)
        {
            RotationRules.RequireId(rotationId, "rotation");
        }

        if (to <= from)
        {
            throw new ValidationFailedException("to", "must be after 'from'.");
        }

        if (to - from > MaxListRange)
        {
            throw new ValidationFailedException("to", "the range may cover at most 31 days.");
        }

        var found = await handoffs.ListDueAsync(from, to, rotationId, cancellationToken);
        return
        [
            .. found
                .Select(s => s.Handoff)
                .Where(h => status is null || h.Status == status)
                .OrderBy(h => h.Due)
                .ThenBy(h => h.Id, StringComparer.Ordinal),
        ];
    }

    public async Task<Handoff> GetAsync(string id, CancellationToken cancellationToken = default) =>
        (await FindAsync(id, cancellationToken)).Handoff;

    /// <summary>
    /// What a signed link's page says of <paramref name="handoff"/>: who hands what over to whom and when, in the
    /// rotation's own time zone, and who acknowledged it when it is acknowledged.
    /// </summary>
    public async Task<string> DescribeAsync(Handoff handoff, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(handoff);
        var rotation = (await rotations.FindAsync(handoff.RotationId, cancellationToken))?.Rotation;
        var summary = $"{handoff.Outgoing.Name} hands {handoff.Layer} of {rotation?.Settings.Name ?? handoff.RotationId} over to "
            + $"{handoff.Incoming.Name} at {HandoffMessages.Local(handoff.Due, rotation)}.";
        return handoff is { Status: HandoffStatus.Acknowledged, AcknowledgedAt: { } at }
            ? $"{summary} Acknowledged by {handoff.AcknowledgedBy} at {HandoffMessages.Local(at, rotation)}."
            : summary;
    }

    public async Task<Handoff> SetNotesAsync(string id, string notes, CancellationToken cancellationToken = default)
    {
        var errors = new ValidationErrors();
        RotationRules.CheckText(notes, "notes", errors, MaxNotes);
        errors.ThrowIfAny();
        return await Optimistic.RetryAsync(async () =>
        {
            var stored = await FindAsync(id, cancellationToken);
            var updated = stored.Handoff with { Notes = notes };
            await handoffs.SaveAsync(updated, stored.ETag, cancellationToken);
            return updated;
        }, Attempts);
    }

    /// <summary>
    /// The incoming engineer takes over, or the supervisor does it for them. Accepted from an hour before the
    /// boundary; a second acknowledgement changes nothing. A missed handoff acknowledged late tells the supervisor.
    /// </summary>
    public async Task<Handoff> AcknowledgeAsync(
        string id,
        string by,
        string? notes,
        Instant now,
        CancellationToken cancellationToken = default)
    {
        RequireId(id);
        OnCallTelemetry.Tag(OnCallTelemetry.HandoffAttribute, id);
        var errors = new ValidationErrors();
        RotationRules.CheckEmail(by, "by", errors);
        RotationRules.CheckOptionalText(notes, "notes", errors, MaxNotes);
        errors.ThrowIfAny();

        var acknowledgedNow = false;
        var (handoff, etag, resolved) = await Optimistic.RetryAsync(async () =>
        {
            var stored = await FindAsync(id, cancellationToken);
            var current = stored.Handoff;
            if (current.Status == HandoffStatus.Acknowledged)
            {
                acknowledgedNow = false;
                return (current, stored.ETag, false);
            }

            var rotation = (await rotations.FindAsync(current.RotationId, cancellationToken))?.Rotation;
            if (!string.Equals(by, current.Incoming.Email, StringComparison.OrdinalIgnoreCase)
                && !string.Equals(by, rotation?.Settings.Supervisor.Email, StringComparison.OrdinalIgnoreCase))
            {
                throw new ValidationFailedException(
                    "by",
                    $"must be the incoming engineer's email ({current.Incoming.Email}) or the rotation supervisor's.");
            }

            var opens = current.Due - HandoffSettings.AcknowledgeFrom;
            if (now < opens)
            {
                throw new ConflictException("id", $"handoff '{id}' can be acknowledged from {opens} (an hour before it is due), not yet.");
            }

            var updated = current with
            {
                Status = HandoffStatus.Acknowledged,
                AcknowledgedAt = now,
                AcknowledgedBy = by,
                Notes = notes ?? current.Notes,
            };
            var late = current.Status == HandoffStatus.Missed;
            if (late)
            {
                // Claimed in the same write as the acknowledgement, so the timer does not send it as well.
                updated = updated.WithNotice(HandoffNoticeKind.Resolved, Claim(current.Notice(HandoffNoticeKind.Resolved), now));
            }

            var saved = await handoffs.SaveAsync(updated, stored.ETag, cancellationToken);
            acknowledgedNow = true;
            return (updated, saved, late);
        }, Attempts);

        if (acknowledgedNow)
        {
            metrics.Handoff(handoff.AcknowledgedLate ? "acknowledged_late" : "acknowledged");
        }

        if (resolved)
        {
            var rotation = (await rotations.FindAsync(handoff.RotationId, cancellationToken))?.Rotation;
            handoff = await DeliverAsync(
                new StoredHandoff(handoff, etag),
                HandoffNoticeKind.Resolved,
                HandoffMessages.Resolved(handoff, rotation),
                rotation,
                null,
                now,
                cancellationToken);
        }

        return handoff;
    }

    /// <summary>
    /// One pass over the handoffs due around now: pending ones past their grace become missed (the instance
    /// whose write wins tells the supervisor), unacknowledged missed ones are escalated once, reminders go out,
    /// and failed channels of earlier messages are retried. Reads only the window [now − 4 days, now + lead].
    /// </summary>
    public async Task FlagMissedAsync(Instant now, CancellationToken cancellationToken = default)
    {
        var window = await handoffs.ListDueAsync(
            now - HandoffSettings.ScanLookback,
            now + settings.ReminderLead + Duration.Epsilon,
            cancellationToken: cancellationToken);
        var oldestDue = window
            .Where(s => s.Handoff.Status != HandoffStatus.Acknowledged && s.Handoff.Due <= now)
            .Select(s => (Instant?)s.Handoff.Due)
            .Min();
        metrics.OldestPendingHandoff(oldestDue is { } due ? (now - due).ToTimeSpan() : null);
        var rotationCache = new Dictionary<string, RotationAggregate?>(StringComparer.Ordinal);
        foreach (var stored in window)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var h = stored.Handoff;
            if (!rotationCache.TryGetValue(h.RotationId, out var aggregate))
            {
                aggregate = await rotations.FindAsync(h.RotationId, cancellationToken);
                rotationCache[h.RotationId] = aggregate;
            }

            await AdvanceAsync(stored, aggregate, now, cancellationToken);
        }
    }

    /// <summary>For each shift that began with a handoff still missed, that handoff: the outgoing engineer holds over.</summary>
    public async Task<IReadOnlyDictionary<string, Handoff>> HoldoversAsync(
        string rotationId,
        IReadOnlyList<Shift> current,
        CancellationToken cancellationToken = default)
    {
        var result = new Dictionary<string, Handoff>(StringComparer.Ordinal);
        foreach (var shift in current)
        {
            // A point read per layer: the id of the handoff that would have started this shift is known.
            var found = await handoffs.FindAsync(Handoff.IdFor(rotationId, shift.Layer, shift.Start), cancellationToken);
            if (found?.Handoff is { Status: HandoffStatus.Missed } missed)
            {
                result[shift.Layer] = missed;
            }
        }

        return result;
    }

    private async Task AdvanceAsync(StoredHandoff stored, RotationAggregate? aggregate, Instant now, CancellationToken cancellationToken)
    {
        var h = stored.Handoff;
        var rotation = aggregate?.Rotation;
        if (h.Status == HandoffStatus.Pending && !StillHappens(h, aggregate, now))
        {
            // Planned, then an override or a rotation change took it away (the planner removes it on its next run).
            return;
        }

        // Another instance (or an acknowledgement) may change it first; then the next run sees the new state.
        await Optimistic.TryAsync(
            async () =>
            {
                switch (h.Status)
                {
                    case HandoffStatus.Pending when now >= h.MissedFrom:
                    {
                        // Marked missed and the notice claimed in one ETag write: exactly one instance wins and notifies.
                        var missed = (h with { Status = HandoffStatus.Missed, MissedAt = now })
                            .WithNotice(HandoffNoticeKind.Missed, Claim(null, now));
                        var etag = await handoffs.SaveAsync(missed, stored.ETag, cancellationToken);
                        metrics.Handoff("missed");
                        await DeliverAsync(
                            new StoredHandoff(missed, etag),
                            HandoffNoticeKind.Missed,
                            HandoffMessages.Missed(missed, rotation, now, Link(missed, rotation)),
                            rotation,
                            null,
                            now,
                            cancellationToken);
                        break;
                    }

                    case HandoffStatus.Pending when now < h.Due && now >= h.Due - settings.ReminderLead:
                        await RetryOrSendAsync(
                            stored,
                            rotation,
                            HandoffNoticeKind.Reminder,
                            () => HandoffMessages.Reminder(
                                h,
                                rotation,
                                links.AcknowledgeLink(h, rotation?.Settings.TimeZone ?? DateTimeZone.Utc, h.Incoming.Email)),
                            now,
                            cancellationToken);
                        break;

                    case HandoffStatus.Missed:
                    {
                        stored = await RetryOrSendAsync(
                            stored,
                            rotation,
                            HandoffNoticeKind.Missed,
                            () => HandoffMessages.Missed(h, rotation, now, Link(h, rotation)),
                            now,
                            cancellationToken);
                        if (now >= h.EscalateFrom)
                        {
                            await RetryOrSendAsync(
                                stored,
                                rotation,
                                HandoffNoticeKind.Escalation,
                                () => HandoffMessages.Escalation(h, rotation, now, Link(h, rotation)),
                                now,
                                cancellationToken);
                        }

                        break;
                    }

                    case HandoffStatus.Acknowledged when h.AcknowledgedLate:
                        await RetryOrSendAsync(
                            stored,
                            rotation,
                            HandoffNoticeKind.Resolved,
                            () => HandoffMessages.Resolved(h, rotation),
                            now,
                            cancellationToken);
                        break;
                }
            },
            Once);
    }

    /// <summary>Sends a message not sent yet, or retries the channels that failed; nothing when it is settled.</summary>
    private async Task<StoredHandoff> RetryOrSendAsync(
        StoredHandoff stored,
        Rotation? rotation,
        HandoffNoticeKind kind,
        Func<Notification> compose,
        Instant now,
        CancellationToken cancellationToken)
    {
        var previous = stored.Handoff.Notice(kind);
        if (previous is not null && !previous.NeedsRetry(now))
        {
            return stored;
        }

        // Only the channels that failed; after a claim whose results were lost, every channel.
        IReadOnlySet<NotificationChannel>? only = previous is { RecordedAt: not null } ? previous.Retry.ToHashSet() : null;
        var claimed = stored.Handoff.WithNotice(kind, Claim(previous, now));
        var etag = await handoffs.SaveAsync(claimed, stored.ETag, cancellationToken);
        var delivered = await DeliverAsync(new StoredHandoff(claimed, etag), kind, compose(), rotation, only, now, cancellationToken);
        return await FindAsync(delivered.Id, cancellationToken);
    }

    /// <summary>Sends a claimed notice and records each channel's outcome on the handoff.</summary>
    private async Task<Handoff> DeliverAsync(
        StoredHandoff claimed,
        HandoffNoticeKind kind,
        Notification notification,
        Rotation? rotation,
        IReadOnlySet<NotificationChannel>? only,
        Instant now,
        CancellationToken cancellationToken)
    {
        var chat = only is null || only.Any(c => c != NotificationChannel.ServiceBus)
            ? notifier.NotifyAsync(notification with { OnlyChannels = only }, cancellationToken)
            : Task.FromResult(new NotificationResult([]));

        // The missed notice also goes out as the handoff.missed event, retried with the chat channels that failed.
        var published = kind == HandoffNoticeKind.Missed && (only is null || only.Contains(NotificationChannel.ServiceBus))
            ? await events.PublishAsync(HandoffEvents.Missed(claimed.Handoff, rotation), cancellationToken)
            : null;
        var result = new NotificationResult([.. (await chat).Channels, .. published is null ? [] : new[] { published }]);
        metrics.NoticeSent("handoff_" + kind.ToString().ToLowerInvariant(), result);
        return await Optimistic.RetryAsync(async () =>
        {
            var stored = await FindAsync(claimed.Handoff.Id, cancellationToken);
            var notice = stored.Handoff.Notice(kind) ?? Claim(null, now);
            var channels = notice.Channels
                .Where(c => result.For(c.Channel) is null)
                .Concat(result.Channels)
                .OrderBy(c => c.Channel)
                .ToList();
            var recorded = notice with
            {
                RecordedAt = now,
                SentAt = notice.SentAt ?? (result.Channels.Any(c => c.Status == DeliveryStatus.Sent) ? now : null),
                Retry = [.. result.FailedChannels.Order()],
                Channels = channels,
            };
            var updated = stored.Handoff.WithNotice(kind, recorded);
            await handoffs.SaveAsync(updated, stored.ETag, cancellationToken);
            return updated;
        }, Attempts);
    }

    /// <summary>A pending handoff whose people (an override at the same instant) or open items changed takes the new ones.</summary>
    private async Task RefreshAsync(StoredHandoff existing, Handoff planned, CancellationToken cancellationToken)
    {
        var h = existing.Handoff;
        if (h.Status != HandoffStatus.Pending
            || (h.Outgoing == planned.Outgoing
                && h.Incoming == planned.Incoming
                && h.Grace == planned.Grace
                && h.CarriedOver.SequenceEqual(planned.CarriedOver)))
        {
            return;
        }

        var refreshed = h with
        {
            Outgoing = planned.Outgoing,
            Incoming = planned.Incoming,
            Grace = planned.Grace,
            CarriedOver = planned.CarriedOver,
        };
        if (!HandoffPlanner.SamePerson(h.Incoming, planned.Incoming))
        {
            // Someone else takes over now (a swap or an override): the reminder, with its acknowledge link, is theirs to get.
            refreshed = refreshed with { Notices = refreshed.Notices.Where(n => n.Key != HandoffNoticeKind.Reminder).ToDictionary() };
        }

        await Optimistic.TryAsync(() => handoffs.SaveAsync(refreshed, existing.ETag, cancellationToken), Once);
    }

    /// <summary>Whether the rotation still hands over on this layer at this instant, to the same person.</summary>
    private static bool StillHappens(Handoff h, RotationAggregate? aggregate, Instant now) =>
        aggregate is not null
        && HandoffPlanner.Boundaries(aggregate.Rotation, aggregate.Overrides, h.Due - Duration.Epsilon, h.Due, now)
            .Any(b => b.Id == h.Id && HandoffPlanner.SamePerson(b.Incoming, h.Incoming));

    private static HandoffNotice Claim(HandoffNotice? previous, Instant now) =>
        previous is null
            ? new HandoffNotice(now, 1, null, null, [], [])
            : previous with { ClaimedAt = now, Attempts = previous.Attempts + 1 };

    // The supervisor's link acknowledges for the incoming engineer as the supervisor.
    private Uri? Link(Handoff handoff, Rotation? rotation) =>
        rotation is null ? null : links.AcknowledgeLink(handoff, rotation.Settings.TimeZone, rotation.Settings.Supervisor.Email);

    private async Task<StoredHandoff> FindAsync(string id, CancellationToken cancellationToken) =>
        await handoffs.FindAsync(RequireId(id), cancellationToken) ?? throw new NotFoundException("Handoff", id);

    public static string RequireId(string? id) =>
        Handoff.DueMinuteOf(id) is not null
            ? id!
            : throw new ValidationFailedException("id", "is not a handoff id (yyyyMMddHHmm- and 20 characters 0-9, a-v).");
}
