using Microsoft.Extensions.Logging;
using NodaTime;
using OnCall.Core.Diagnostics;
using OnCall.Core.Errors;
using OnCall.Core.Feeds;
using OnCall.Core.Ports;
using OnCall.Core.Rotations;
using OnCall.Core.Time;

namespace OnCall.Core.CalendarSync;

/// <summary>
/// Writes each rotation's reconciled calendar state into its Google calendar. Per calendar: read what changed there
/// since the last run (the stored list token; a full list of our events when there is none or it expired), compare
/// with the shifts from a day ago to the horizon by event id, and write only the difference in batches: insert what is
/// missing, patch what differs (also what someone moved or deleted by hand), delete ours that no longer match a shift.
/// Events we did not create are never written. Event ids are derived from shift keys, so two runs at once cannot
/// duplicate an event: the second insert is a 409, taken as done.
/// </summary>
public sealed class CalendarSyncService(
    IRotationRepository repository,
    CalendarStateService calendarState,
    IGoogleCalendar google,
    ICalendarSyncStore store,
    CalendarSyncSettings settings,
    TimeProvider timeProvider,
    ILogger<CalendarSyncService> logger)
{
    public const string NotConfigured = "skipped: Google Calendar is not configured (OnCall:Google:ServiceAccountJson)";

    /// <summary>How far back the calendar is kept in line: a shift that ended longer ago is history and left alone.</summary>
    public static readonly Duration Lookback = Duration.FromDays(1);

    /// <summary>
    /// Reconciles every rotation's calendar state (the ICS feed's too), syncs those with a calendar, and removes the
    /// future events of rotations deleted (or moved to another calendar) since. One failing rotation does not stop the others.
    /// </summary>
    public async Task SyncAllAsync(CancellationToken cancellationToken = default)
    {
        var rotations = await repository.ListAsync(cancellationToken);
        var states = (await store.ListAsync(cancellationToken)).ToDictionary(s => s.RotationId, StringComparer.Ordinal);
        foreach (var aggregate in rotations)
        {
            states.Remove(aggregate.Rotation.Id, out var state);
            await SyncRotationAsync(aggregate, state, cancellationToken);
        }

        foreach (var orphan in states.Values)
        {
            await RetireAsync(orphan, cancellationToken);
        }
    }

    /// <summary>The last run for <paramref name="rotationId"/>; <see cref="NotFoundException"/> for an unknown rotation.</summary>
    public async Task<CalendarSyncStatus> GetStatusAsync(string rotationId, CancellationToken cancellationToken = default)
    {
        var aggregate = await repository.FindAsync(RotationRules.RequireId(rotationId, "id"), cancellationToken)
            ?? throw new NotFoundException("Rotation", rotationId);
        var calendarId = aggregate.Rotation.Settings.CalendarId;
        var state = calendarId is null ? null : await store.GetAsync(rotationId, cancellationToken);
        return state is null || state.CalendarId != calendarId
            ? new CalendarSyncStatus(
                rotationId, calendarId, null, SyncCounts.None, 0, calendarId is not null && !google.IsConfigured ? NotConfigured : null)
            : new CalendarSyncStatus(rotationId, calendarId, state.LastSyncAt, state.Counts, state.Requests, state.LastError);
    }

    /// <summary>
    /// One rotation's sync in its own span (named <c>SyncRotation</c>, with the rotation's id); a sync that ends in an
    /// error is logged with it.
    /// </summary>
    private async Task SyncRotationAsync(RotationAggregate aggregate, CalendarSyncState? state, CancellationToken cancellationToken)
    {
        using var span = OnCallTelemetry.Source.StartActivity("SyncRotation");
        span?.SetTag(OnCallTelemetry.RotationAttribute, aggregate.Rotation.Id);
        var error = await SyncRotationCoreAsync(aggregate, state, cancellationToken);
        if (error is not null && error != NotConfigured)
        {
            span?.SetStatus(System.Diagnostics.ActivityStatusCode.Error, error);
            logger.LogWarning("Calendar sync of rotation {RotationId} failed: {SyncError}", aggregate.Rotation.Id, error);
        }
    }

    /// <summary>Returns the error the sync recorded, if any.</summary>
    private async Task<string?> SyncRotationCoreAsync(
        RotationAggregate aggregate, CalendarSyncState? state, CancellationToken cancellationToken)
    {
        var rotationId = aggregate.Rotation.Id;
        var calendarId = aggregate.Rotation.Settings.CalendarId;
        DesiredCalendar desired;
        try
        {
            desired = await calendarState.ReconcileAsync(aggregate, cancellationToken);
        }
        catch (Exception e) when (IsFailure(e, cancellationToken))
        {
            if (calendarId is not null && google.IsConfigured)
            {
                await RecordAsync(
                    (state ?? CalendarSyncState.New(rotationId, calendarId)) with { LastError = Describe(e) }, cancellationToken);
            }

            return Describe(e);
        }

        if (state is not null && state.CalendarId != calendarId)
        {
            // The rotation moved to another calendar, or left Google: take our future events out of the old one first.
            if (!await RetireAsync(state, cancellationToken))
            {
                return $"removing events from {state.CalendarId} failed";
            }

            state = null;
        }

        if (calendarId is null)
        {
            return null;
        }

        state ??= CalendarSyncState.New(rotationId, calendarId);
        if (!google.IsConfigured)
        {
            if (state.LastError != NotConfigured)
            {
                await RecordAsync(state with { LastError = NotConfigured }, cancellationToken);
            }

            return NotConfigured;
        }

        var run = new Run(state.SyncToken);
        string? error = null;
        try
        {
            await SyncCalendarAsync(calendarId, desired, run, cancellationToken);
            error = run.Errors.Count switch
            {
                0 => null,
                1 => run.Errors[0],
                _ => $"{run.Errors.Count} failures, first: {run.Errors[0]}",
            };
        }
        catch (Exception e) when (IsFailure(e, cancellationToken))
        {
            error = Describe(e);
        }

        await RecordAsync(
            state with
            {
                SyncToken = run.Token,
                LastSyncAt = timeProvider.GetCurrentInstant(),
                Counts = run.Counts,
                Requests = run.Requests,
                LastError = error,
            },
            cancellationToken);
        return error;
    }

    private async Task SyncCalendarAsync(string calendarId, DesiredCalendar desired, Run run, CancellationToken cancellationToken)
    {
        var rotationId = desired.Settings.Id;
        var now = timeProvider.GetCurrentInstant();
        var window = new Interval(now - Lookback, desired.Settings.HorizonEnd(now));
        var plan = await PlanAsync(calendarId, desired, now, window, run, cancellationToken);
        run.Unchanged = plan.Unchanged;
        await WriteAsync(calendarId, rotationId, Writes(), run, cancellationToken);
        if (plan.Forgotten.Count > 0)
        {
            await store.ForgetEventsAsync(rotationId, plan.Forgotten, cancellationToken);
        }

        async IAsyncEnumerable<EventWrite> Writes()
        {
            var changes = plan.Changes;
            if (changes.Count > 0)
            {
                // The ledger read again, only when something is to be written: an entry a reconciliation revised in
                // between is written as it is now.
                await foreach (var entry in calendarState.ReadAsync(desired, window.Start, window.End, cancellationToken))
                {
                    if (!entry.Cancelled && changes.Remove(entry.EventId, out var kind))
                    {
                        var e = ToEvent(desired.Settings, entry);
                        yield return kind == EventWriteKind.Insert ? EventWrite.Insert(e) : EventWrite.Patch(e);
                    }
                }
            }

            foreach (var (id, _) in plan.Deletes.OrderBy(d => d.End))
            {
                yield return EventWrite.Delete(id);
            }
        }
    }

    /// <summary>
    /// Compares the ledger's events in <paramref name="window"/> with Google's (brought up to date first) and returns
    /// what to write. Both sides are held only here, so they are gone before the writes.
    /// </summary>
    private async Task<SyncPlan> PlanAsync(
        string calendarId, DesiredCalendar desired, Instant now, Interval window, Run run, CancellationToken cancellationToken)
    {
        // Only each event's hash and end are held: the largest rotation has some 88,000 events, and their texts would
        // take about 1 KB each. The events to write are made again from the ledger as they are written.
        var sides = new EventSides(desired.Shifts);
        await foreach (var entry in calendarState.ReadAsync(desired, window.Start, window.End, cancellationToken))
        {
            if (!entry.Cancelled)
            {
                var e = ToEvent(desired.Settings, entry);
                sides.Want(e.Id, e.ContentHash, e.Content.End);
            }
        }

        await ReadAsync(calendarId, desired.Settings.Id, run, sides, cancellationToken);

        var plan = new SyncPlan();
        foreach (var (id, e) in sides.All)
        {
            if (!e.IsWanted)
            {
                if (!e.KnownCancelled && e.KnownEnd > window.Start)
                {
                    plan.Deletes.Add((id, e.KnownEnd));
                }
            }
            else if (!e.IsKnown)
            {
                plan.Changes[id] = EventWriteKind.Insert;
            }
            else if (e.KnownCancelled || e.KnownHash != e.WantedHash)
            {
                plan.Changes[id] = EventWriteKind.Patch;
            }
            else
            {
                plan.Unchanged++;
            }

            // What the sync knows of its events would grow without end: forget those long past, as the feed's ledger does.
            if (e.IsKnown && e.KnownEnd < now - Forget)
            {
                plan.Forgotten.Add(id);
            }
        }

        return plan;
    }

    /// <summary>What a sync is to write: inserts and patches by event id, deletes (with their ends), ids to forget.</summary>
    private sealed class SyncPlan
    {
        public Dictionary<string, EventWriteKind> Changes { get; } = new(StringComparer.Ordinal);

        public List<(string Id, Instant End)> Deletes { get; } = [];

        public List<string> Forgotten { get; } = [];

        public int Unchanged { get; set; }
    }

    /// <summary>How long an event that ended stays known: past it, the sync never writes it again.</summary>
    public static readonly Duration Forget = Duration.FromDays(16);

    /// <summary>
    /// Brings the stored picture of our events up to date from Google: the changes since the list token, or everything
    /// of ours when there is no token or it has expired (410). Saves what changed, and leaves the whole picture as
    /// Google's side of <paramref name="sides"/>.
    /// </summary>
    private async Task ReadAsync(string calendarId, string rotationId, Run run, EventSides sides, CancellationToken cancellationToken)
    {
        while (true)
        {
            var full = run.Token is null;
            if (full)
            {
                await store.ClearEventsAsync(rotationId, cancellationToken);
            }
            else
            {
                await foreach (var known in store.ReadEventsAsync(rotationId, cancellationToken))
                {
                    sides.Know(known);
                }
            }

            var changed = new Dictionary<string, MirroredEvent>(StringComparer.Ordinal);
            string? pageToken = null;
            string? nextSyncToken = null;
            try
            {
                do
                {
                    run.Requests++;
                    var page = await google.ListAsync(calendarId, new EventQuery(rotationId, run.Token, pageToken), cancellationToken);
                    foreach (var item in page.Items)
                    {
                        // Ours: it says so, or its id is one we derive. Another rotation's events and foreign ones are skipped.
                        var ours = item.RotationId == rotationId
                            || (item.RotationId is null && sides.Contains(item.Id));
                        if (!ours)
                        {
                            continue;
                        }

                        var seen = new MirroredEvent(
                            item.Id,
                            item.Cancelled ? "" : item.Content?.Hash ?? "",
                            item.Cancelled,
                            item.Content?.End ?? sides.End(item.Id) ?? timeProvider.GetCurrentInstant());

                        // The run after one that wrote reads its own writes back: as known already, nothing to save.
                        if (!sides.KnowsAlready(seen))
                        {
                            sides.Know(seen);
                            changed[item.Id] = seen;
                        }
                    }

                    pageToken = page.NextPageToken;
                    nextSyncToken = page.NextSyncToken;
                }
                while (pageToken is not null);
            }
            catch (SyncTokenExpiredException) when (!full)
            {
                run.Token = null;
                sides.ForgetKnown();
                continue;
            }

            await store.SaveEventsAsync(rotationId, changed.Values, cancellationToken);
            run.Token = nextSyncToken;
            return;
        }
    }

    /// <summary>
    /// Writes in batches, as <paramref name="writes"/> come; what is to be tried again is held and written in further
    /// rounds.
    /// </summary>
    private async Task WriteAsync(
        string calendarId, string rotationId, IAsyncEnumerable<EventWrite> writes, Run run, CancellationToken cancellationToken)
    {
        var pending = writes;
        var retryRounds = 0;
        for (var round = 0; ; round++)
        {
            var next = new List<EventWrite>();
            string? retryReason = null;
            TimeSpan? wait = null;
            await foreach (var chunk in pending.Chunk(Math.Max(1, google.BatchSize)).WithCancellation(cancellationToken))
            {
                run.Requests++;
                var results = await google.WriteAsync(calendarId, chunk, cancellationToken);
                var known = new List<MirroredEvent>();
                foreach (var result in results)
                {
                    var write = result.Write;
                    switch (result.Outcome, write.Kind)
                    {
                        case (EventWriteOutcome.Done, EventWriteKind.Insert):
                            run.Inserted++;
                            known.Add(Written(write.Event!));
                            break;
                        case (EventWriteOutcome.Done, EventWriteKind.Patch):
                            run.Patched++;
                            known.Add(Written(write.Event!));
                            break;
                        case (EventWriteOutcome.Done or EventWriteOutcome.Gone, EventWriteKind.Delete):
                            run.Deleted++;
                            known.Add(new MirroredEvent(write.EventId, "", true, timeProvider.GetCurrentInstant()));
                            break;
                        case (EventWriteOutcome.AlreadyExists, EventWriteKind.Insert):
                            // Inserted by another run, or deleted by hand and kept by Google as cancelled: make it ours as it should be.
                            next.Add(EventWrite.Patch(write.Event!));
                            break;
                        case (EventWriteOutcome.Gone, EventWriteKind.Patch):
                            next.Add(EventWrite.Insert(write.Event!));
                            break;
                        case (EventWriteOutcome.Retryable, _):
                            retryReason = $"{write}: {result.Error}";
                            next.Add(write);
                            wait = Max(wait, result.RetryAfter);
                            break;
                        default:
                            run.Errors.Add($"{write}: {result.Error ?? result.Outcome.ToString()}");
                            break;
                    }
                }

                await store.SaveEventsAsync(rotationId, known, cancellationToken);
            }

            // Rate-limited calls get MaxRetryRounds more rounds; a 409 → patch or 404 → insert follow-up needs one more,
            // and the cap keeps an event that flips between the two from looping.
            retryRounds += retryReason is null ? 0 : 1;
            if (next.Count > 0 && (retryRounds > settings.MaxRetryRounds || round >= settings.MaxRetryRounds + 3))
            {
                run.Errors.Add($"{next.Count} call(s) still failing after {round + 1} round(s), last: {retryReason ?? next[0].ToString()}");
                return;
            }

            if (next.Count == 0)
            {
                return;
            }

            if (retryReason is not null)
            {
                await Task.Delay(Max(wait, Backoff(retryRounds - 1)) ?? TimeSpan.Zero, timeProvider, cancellationToken);
            }

            pending = next.ToAsyncEnumerable();
        }
    }

    /// <summary>
    /// Deletes the future events of a rotation that left its calendar (or was deleted), then forgets it; false when
    /// that failed.
    /// </summary>
    private async Task<bool> RetireAsync(CalendarSyncState state, CancellationToken cancellationToken)
    {
        if (state.CalendarId is null || !google.IsConfigured)
        {
            await store.DeleteAsync(state.RotationId, cancellationToken);
            return true;
        }

        var run = new Run(state.SyncToken);
        try
        {
            var sides = new EventSides();
            await ReadAsync(state.CalendarId, state.RotationId, run, sides, cancellationToken);
            var windowStart = timeProvider.GetCurrentInstant() - Lookback;
            var deletes = sides.All
                .Where(e => e.Value.IsKnown && !e.Value.KnownCancelled && e.Value.KnownEnd > windowStart)
                .Select(e => EventWrite.Delete(e.Key))
                .ToList();
            await WriteAsync(state.CalendarId, state.RotationId, deletes.ToAsyncEnumerable(), run, cancellationToken);
            if (run.Errors.Count == 0)
            {
                await store.DeleteAsync(state.RotationId, cancellationToken);
                return true;
            }

            await RecordAsync(
                state with { SyncToken = run.Token, LastError = $"removing events from {state.CalendarId}: {run.Errors[0]}" },
                cancellationToken);
        }
        catch (Exception e) when (IsFailure(e, cancellationToken))
        {
            await RecordAsync(
                state with { SyncToken = run.Token, LastError = $"removing events from {state.CalendarId}: {Describe(e)}" },
                cancellationToken);
        }

        return false;
    }

    /// <summary>
    /// Saves the run's record once: when another instance recorded its run of the same rotation in between, its record
    /// stands (a retry would only repeat the stale ETag).
    /// </summary>
    private async Task RecordAsync(CalendarSyncState state, CancellationToken cancellationToken) =>
        await Optimistic.TryAsync(() => store.SaveAsync(state, cancellationToken), attempts: 1);

    private DesiredEvent ToEvent(RotationSettings rotation, FeedEntry entry) => new(
        entry.EventId,
        rotation.Id,
        entry.Key,
        new EventContent(
            ShiftText.Summary(rotation, entry),
            ShiftText.Description(rotation, entry),
            entry.Start,
            entry.End,
            rotation.TimeZone.Id,
            Transparent: true,
            settings.MembersAsAttendees ? [entry.Member.Email] : []));

    private static MirroredEvent Written(DesiredEvent e) => new(e.Id, e.ContentHash, false, e.Content.End);

    private TimeSpan? Backoff(int round)
    {
        // Exponential with jitter, so instances rate limited together do not come back together.
        var median = settings.RetryBaseDelay.TotalMilliseconds * Math.Pow(2, round);
        var jittered = TimeSpan.FromMilliseconds(median * (0.5 + Random.Shared.NextDouble()));
        return jittered > settings.MaxRetryDelay ? settings.MaxRetryDelay : jittered;
    }

    private static TimeSpan? Max(TimeSpan? a, TimeSpan? b) => a is null ? b : b is null ? a : a > b ? a : b;

    private static bool IsFailure(Exception e, CancellationToken cancellationToken) =>
        !(e is OperationCanceledException && cancellationToken.IsCancellationRequested);

    /// <summary>
    /// What the status shows: our own exceptions' messages (statuses and reasons); for anything else only its kind,
    /// which names no host or secret.
    /// </summary>
    private static string Describe(Exception e) => e switch
    {
        CalendarApiException or OnCallException => e.Message,
        _ => $"{e.GetType().Name} while syncing",
    };

    private sealed class Run(string? token)
    {
        public string? Token { get; set; } = token;

        public int Requests { get; set; }

        public int Inserted { get; set; }

        public int Patched { get; set; }

        public int Deleted { get; set; }

        public int Unchanged { get; set; }

        public List<string> Errors { get; } = [];

        public SyncCounts Counts => new(Inserted, Patched, Deleted, Unchanged);
    }
}
