using Microsoft.Extensions.Logging;
using NodaTime;
using OnCall.Core.Diagnostics;
using OnCall.Core.Errors;
using OnCall.Core.Feeds;
using OnCall.Core.Ports;
using OnCall.Core.Time;
using OnCall.Core.TimeOff;

namespace OnCall.Core.Rotations;

/// <summary>The outcome of a PUT: the feed token is only present when the rotation was created.</summary>
public sealed record RotationSaved(Rotation Rotation, bool Created, string? FeedToken);

/// <summary>Who is on call in one rotation at an instant: the current shift of each layer that has one.</summary>
public sealed record OnCallSnapshot(string RotationId, Instant At, IReadOnlyList<Shift> Shifts);

/// <summary>Rotations, overrides, shifts and who is on call.</summary>
/// <remarks>
/// Every write reconciles the rotation's calendar state before it answers, so the ICS feed and the Google sync see the
/// change at once and a feed read never has to write. If that step fails the write has still happened; the
/// <c>SyncCalendars</c> timer reconciles it on its next run.
/// </remarks>
public sealed class RotationService(
    IRotationRepository repository,
    IFeedLedger feedLedger,
    CalendarStateService calendarState,
    CoverageCheckRequests coverageChecks,
    RecentRotations recent,
    TimeProvider timeProvider,
    ILogger<RotationService> logger)
{
    /// <summary>Two admins rarely write one rotation at once; a third loss answers 409 so the caller sees the race.</summary>
    private const int Attempts = 3;

    /// <summary>The longest range of shifts one request may ask for.</summary>
    public static readonly Duration MaxRange = Duration.FromDays(RotationRules.MaxHorizonDays);

    /// <summary>
    /// Creates or replaces a rotation. A create reconciles the new rotation's calendar state first and stores the
    /// rotation (with its feed token's hash) last, so the slow part runs before the point of no return: a client
    /// that gives up while it runs leaves no rotation behind, and its retry creates one with a token it is shown.
    /// A PUT that changes nothing writes nothing and reads only the rotation.
    /// </summary>
    public async Task<RotationSaved> PutAsync(RotationSettings settings, CancellationToken cancellationToken = default)
    {
        RotationRules.Validate(settings);
        var (saved, changed) = await Optimistic.RetryAsync(async () =>
        {
            var now = timeProvider.GetCurrentInstant();
            var existing = await repository.FindAsync(settings.Id, cancellationToken);
            if (existing is null)
            {
                var (token, hash) = FeedToken.New();
                var created = Rotation.Create(settings, hash, now);
                await ReconcileAsync(
                    () => calendarState.ReconcileAsync(new RotationAggregate(created, [], ""), cancellationToken),
                    settings.Id,
                    cancellationToken);
                cancellationToken.ThrowIfCancellationRequested();
                await repository.SaveAsync(created, null, cancellationToken);
                recent.Forget(settings.Id);
                return (new RotationSaved(created, true, token), false);
            }

            if (SameSettings(existing.Rotation.Settings, settings))
            {
                return (new RotationSaved(existing.Rotation, false, null), false);
            }

            var revised = existing.Rotation.Revise(settings, now);
            await repository.SaveAsync(revised, existing.ETag, cancellationToken);
            return (new RotationSaved(revised, false, null), true);
        }, Attempts);
        if (changed)
        {
            await AfterWriteAsync(settings.Id, cancellationToken);
        }
        else if (saved.Created)
        {
            // Stored: the client must get its feed token even if it gives up now, so this does not take its token.
            await coverageChecks.RequestAsync(settings.Id, CancellationToken.None);
        }

        return saved;
    }

    /// <summary>Equal settings, layer by layer and member by member (records compare lists by reference).</summary>
    public static bool SameSettings(RotationSettings a, RotationSettings b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        IReadOnlyList<LayerDefinition> noLayers = [];
        IReadOnlyList<Member> noMembers = [];
        return a with { Layers = noLayers } == b with { Layers = noLayers }
            && a.Layers.Count == b.Layers.Count
            && a.Layers.Zip(b.Layers).All(p => p.First with { Members = noMembers } == p.Second with { Members = noMembers }
                && p.First.Members.SequenceEqual(p.Second.Members));
    }

    public async Task<RotationAggregate> GetAsync(string id, CancellationToken cancellationToken = default)
    {
        OnCallTelemetry.Tag(OnCallTelemetry.RotationAttribute, id);
        return await repository.FindAsync(RotationRules.RequireId(id, "id"), cancellationToken)
            ?? throw new NotFoundException("Rotation", id);
    }

    public Task<IReadOnlyList<RotationAggregate>> ListAsync(CancellationToken cancellationToken = default) =>
        repository.ListAsync(cancellationToken);

    /// <summary>Deletes a rotation with its overrides and feed history, leaving nothing behind.</summary>
    public async Task DeleteAsync(string id, CancellationToken cancellationToken = default)
    {
        recent.Forget(id);
        // The ledger first: if the second step fails, a repeated DELETE still finds the rotation and finishes.
        await feedLedger.DeleteAsync(RotationRules.RequireId(id, "id"), cancellationToken);
        if (!await repository.DeleteAsync(id, cancellationToken))
        {
            throw new NotFoundException("Rotation", id);
        }
    }

    /// <summary>
    /// Shifts overlapping [from, to); <paramref name="to"/> defaults to <paramref name="from"/> + the rotation's
    /// horizon.
    /// </summary>
    public async Task<IReadOnlyList<Shift>> GetShiftsAsync(
        string id,
        Instant from,
        Instant? to = null,
        CancellationToken cancellationToken = default)
    {
        RotationRules.RequireInstant(from, "from");
        if (to is { } end)
        {
            RotationRules.RequireInstant(end, "to");
            if (end <= from)
            {
                throw new ValidationFailedException("to", "must be after 'from'.");
            }

            if (end - from > MaxRange)
            {
                throw new ValidationFailedException("to", "the range may cover at most one year.");
            }
        }

        var aggregate = await GetAsync(id, cancellationToken);
        return ShiftExpander.Expand(aggregate.Rotation, aggregate.Overrides, from, to ?? aggregate.Rotation.Settings.HorizonEnd(from));
    }

    /// <summary>Who is on call on each layer of one rotation at <paramref name="at"/>.</summary>
    public async Task<OnCallSnapshot> GetOnCallAsync(string id, Instant at, CancellationToken cancellationToken = default)
    {
        RotationRules.RequireInstant(at, "at");
        var aggregate = await GetAsync(id, cancellationToken);
        return OnCall(aggregate, at);
    }

    /// <summary>Who is on call on each layer of every rotation at <paramref name="at"/>: for timers and dashboards.</summary>
    public async Task<IReadOnlyList<OnCallSnapshot>> GetOnCallEverywhereAsync(Instant at, CancellationToken cancellationToken = default)
    {
        RotationRules.RequireInstant(at, "at");
        return [.. (await repository.ListAsync(cancellationToken)).Select(a => OnCall(a, at))];
    }

    public async Task<Override> AddOverrideAsync(string id, OverrideSpec spec, CancellationToken cancellationToken = default)
    {
        var errors = new ValidationErrors();
        RotationRules.CheckOverride(spec, errors);
        errors.ThrowIfAny();
        var result = await Optimistic.RetryAsync(async () =>
        {
            var aggregate = await GetAsync(id, cancellationToken);
            if (aggregate.Rotation.Settings.FindLayer(spec.Layer) is null)
            {
                throw new ValidationFailedException("layer", $"rotation '{id}' has no layer '{spec.Layer}'.");
            }

            var added = new Override(
                NewOverrideId(),
                spec.Layer,
                spec.Start,
                spec.End,
                spec.Member,
                spec.Reason,
                timeProvider.GetCurrentInstant());
            var clash = aggregate.Overrides.FirstOrDefault(o => o.Overlaps(added));
            if (clash is not null)
            {
                throw new ConflictException(
                    "start",
                    $"overlaps override '{clash.Id}' on layer '{clash.Layer}' ({clash.Start} – {clash.End}); delete it "
                    + "first or pick another range.");
            }

            await repository.AddOverrideAsync(id, aggregate.ETag, added, cancellationToken);
            return added;
        }, Attempts);
        await AfterWriteAsync(id, cancellationToken);
        return result;
    }

    public async Task RemoveOverrideAsync(string id, string overrideId, CancellationToken cancellationToken = default)
    {
        RotationRules.RequireId(id, "id");
        if (!await repository.RemoveOverrideAsync(id, RotationRules.RequireId(overrideId, "overrideId"), cancellationToken))
        {
            throw new NotFoundException("Override", overrideId);
        }

        await AfterWriteAsync(id, cancellationToken);
    }

    /// <summary>
    /// What follows every write to a rotation or its overrides (including one a swap makes): the calendar state is
    /// reconciled, and a check of the rotation's coverage is queued. The write has happened: a failure here must not be
    /// reported as its failure (the caller would retry a done write, and a new rotation's feed token, shown once, would
    /// be lost). The timers catch up.
    /// </summary>
    public async Task AfterWriteAsync(string id, CancellationToken cancellationToken = default)
    {
        recent.Forget(id);
        await ReconcileAsync(() => calendarState.ReconcileAsync(id, cancellationToken), id, cancellationToken);
        await coverageChecks.RequestAsync(id, cancellationToken);
    }

    private async Task ReconcileAsync(Func<Task> reconcile, string id, CancellationToken cancellationToken)
    {
        try
        {
            await reconcile();
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning(
                "Calendar state of rotation {RotationId} not reconciled after a write ({ExceptionType}); SyncCalendars will.",
                id,
                e.GetType().Name);
        }
    }

    /// <summary>Issues a new feed token; the old one stops working at once.</summary>
    public async Task<string> RotateFeedTokenAsync(string id, CancellationToken cancellationToken = default) =>
        await Optimistic.RetryAsync(async () =>
        {
            var aggregate = await GetAsync(id, cancellationToken);
            var (token, hash) = FeedToken.New();
            await repository.SaveAsync(
                aggregate.Rotation with { FeedTokenHash = hash, UpdatedAt = timeProvider.GetCurrentInstant() },
                aggregate.ETag,
                cancellationToken);
            return token;
        }, Attempts);

    private static OnCallSnapshot OnCall(RotationAggregate aggregate, Instant at) =>
        new(aggregate.Rotation.Id, at, ShiftExpander.OnCallAt(aggregate.Rotation, aggregate.Overrides, at));

    private static string NewOverrideId() => Guid.CreateVersion7().ToString("N");
}
