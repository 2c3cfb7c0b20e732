using NodaTime;
using OnCall.Core.Errors;
using OnCall.Core.Feeds;
using OnCall.Core.Ports;

namespace OnCall.Core.Rotations;

/// <summary>The outcome of a PUT: the feed token is only present when the rotation was created.</summary>
public sealed record RotationSaved(Rotation Rotation, bool Created, string? FeedToken);

/// <summary>Who is on call at an instant: the current shift of each layer that has one.</summary>
public sealed record OnCallSnapshot(Instant At, IReadOnlyList<Shift> Shifts);

/// <summary>Rotations, overrides, shifts and who is on call.</summary>
public sealed class RotationService(IRotationRepository repository, TimeProvider timeProvider)
{
    /// <summary>The longest range of shifts one request may ask for.</summary>
    public static readonly Duration MaxRange = Duration.FromDays(366);

    private const int ConcurrencyAttempts = 3;

    private Instant Now => Instant.FromDateTimeOffset(timeProvider.GetUtcNow());

    public async Task<RotationSaved> PutAsync(string id, RotationInput input, CancellationToken cancellationToken = default)
    {
        var settings = input.ToSettings(id);
        return await RetryOnConcurrencyAsync(async () =>
        {
            var existing = await repository.FindAsync(id, cancellationToken);
            if (existing is null)
            {
                var (token, hash) = FeedToken.New();
                var created = Rotation.Create(settings, hash, Now);
                await repository.SaveAsync(created, null, cancellationToken);
                return new RotationSaved(created, true, token);
            }

            var revised = existing.Rotation.Revise(settings, Now);
            await repository.SaveAsync(revised, existing.ETag, cancellationToken);
            return new RotationSaved(revised, false, null);
        });
    }

    public async Task<RotationAggregate> GetAsync(string id, CancellationToken cancellationToken = default) =>
        await repository.FindAsync(InputRules.Id(id, "id"), cancellationToken) ?? throw new NotFoundException("Rotation", id);

    public Task<IReadOnlyList<Rotation>> ListAsync(CancellationToken cancellationToken = default) =>
        repository.ListAsync(cancellationToken);

    /// <summary>Shifts overlapping [from, to); from defaults to now, to to from + the rotation's horizon.</summary>
    public async Task<IReadOnlyList<Shift>> GetShiftsAsync(string id, string? from, string? to, CancellationToken cancellationToken = default)
    {
        var fromInstant = from is null ? Now : InputRules.ParseInstant(from, "from");
        Instant? toInstant = to is null ? null : InputRules.ParseInstant(to, "to");
        if (toInstant is { } end && end <= fromInstant)
        {
            throw new ValidationFailedException("to", "must be after 'from'.");
        }

        if (toInstant is { } limit && limit - fromInstant > MaxRange)
        {
            throw new ValidationFailedException("to", "the range may cover at most one year.");
        }

        var aggregate = await GetAsync(id, cancellationToken);
        return ShiftExpander.Expand(aggregate.Rotation, aggregate.Overrides, fromInstant, toInstant ?? aggregate.Rotation.Settings.HorizonEnd(fromInstant));
    }

    public async Task<OnCallSnapshot> GetOnCallAsync(string id, string? at, CancellationToken cancellationToken = default)
    {
        var instant = at is null ? Now : InputRules.ParseInstant(at, "at");
        var aggregate = await GetAsync(id, cancellationToken);
        return new OnCallSnapshot(instant, ShiftExpander.OnCallAt(aggregate.Rotation, aggregate.Overrides, instant));
    }

    public async Task<Override> AddOverrideAsync(string id, OverrideInput input, CancellationToken cancellationToken = default) =>
        await RetryOnConcurrencyAsync(async () =>
        {
            var aggregate = await GetAsync(id, cancellationToken);
            var added = InputRules.ParseOverride(input, aggregate.Rotation.Settings, NewOverrideId(), Now);
            var clash = aggregate.Overrides.FirstOrDefault(o => o.Overlaps(added));
            if (clash is not null)
            {
                throw new ConflictException("start", $"overlaps override '{clash.Id}' on layer '{clash.Layer}' ({clash.Start} – {clash.End}); delete it first or pick another range.");
            }

            await repository.AddOverrideAsync(id, aggregate.ETag, added, cancellationToken);
            return added;
        });

    public async Task RemoveOverrideAsync(string id, string overrideId, CancellationToken cancellationToken = default)
    {
        InputRules.Id(id, "id");
        if (!await repository.RemoveOverrideAsync(id, InputRules.Id(overrideId, "overrideId"), cancellationToken))
        {
            throw new NotFoundException("Override", overrideId);
        }
    }

    /// <summary>Issues a new feed token; the old one stops working at once.</summary>
    public async Task<string> RotateFeedTokenAsync(string id, CancellationToken cancellationToken = default) =>
        await RetryOnConcurrencyAsync(async () =>
        {
            var aggregate = await GetAsync(id, cancellationToken);
            var (token, hash) = FeedToken.New();
            await repository.SaveAsync(aggregate.Rotation with { FeedTokenHash = hash, UpdatedAt = Now }, aggregate.ETag, cancellationToken);
            return token;
        });

    private static string NewOverrideId() => Guid.CreateVersion7().ToString("N");

    private static async Task<T> RetryOnConcurrencyAsync<T>(Func<Task<T>> attempt)
    {
        for (var i = 1; ; i++)
        {
            try
            {
                return await attempt();
            }
            catch (ConcurrencyException) when (i < ConcurrencyAttempts)
            {
                // Another request changed the rotation between our read and write: read again and redo.
            }
        }
    }
}
