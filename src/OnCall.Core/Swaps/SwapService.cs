using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using NodaTime;
using OnCall.Core.Diagnostics;
using OnCall.Core.Errors;
using OnCall.Core.Notifications;
using OnCall.Core.Ports;
using OnCall.Core.Rotations;
using OnCall.Core.Time;

namespace OnCall.Core.Swaps;

/// <summary>
/// Shift swaps: a member offers their shift, the first teammate to accept takes it (after the supervisor's approval,
/// where that is required) and the request becomes an override in the same write, so it happens exactly once.
/// Whoever's write moves a request on tells the people concerned; nobody else does.
/// </summary>
public sealed partial class SwapService(
    RotationService rotations,
    ISwapRepository swaps,
    INotifier notifier,
    ISwapLinks links,
    SwapSettings settings,
    OnCallMetrics metrics,
    TimeProvider timeProvider,
    ILogger<SwapService> logger)
{
    /// <summary>
    /// Ten teammates accepting at once cost each loser one more read; enough attempts that none of them sees a bare 409
    /// "retry".
    /// </summary>
    private const int Attempts = 12;

    public async Task<SwapRequest> CreateAsync(string rotationId, SwapSpec spec, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(spec);
        RotationRules.RequireId(rotationId, "id");
        var errors = new ValidationErrors();
        SwapRules.Check(spec, errors);
        var now = timeProvider.GetCurrentInstant();
        if (!errors.Has("start") && spec.Start <= now)
        {
            errors.Add("start", "must be in the future: a swap is for a shift still to come.");
        }

        errors.ThrowIfAny();
        var (created, rotation) = await Optimistic.RetryAsync(
            async () =>
            {
                var aggregate = await rotations.GetAsync(rotationId, cancellationToken);
                var (requester, offered) = SwapRules.CheckAgainst(aggregate.Rotation, aggregate.Overrides, spec);
                var live = (await swaps.ListAsync(rotationId, cancellationToken))
                    .FirstOrDefault(s => s.Swap.IsLive(now) && s.Swap.Overlaps(spec.Layer, spec.Start, spec.End));
                if (live is not null)
                {
                    throw new ConflictException(
                        "start",
                        $"overlaps swap request '{live.Swap.Id}' on layer '{spec.Layer}', still "
                        + $"{Wire(live.Swap.StatusAt(now))}; cancel it first or pick another span.");
                }

                var clash = aggregate.Overrides.FirstOrDefault(o => o.Layer == spec.Layer && o.Start < spec.End && spec.Start < o.End);
                if (clash is not null)
                {
                    throw new ConflictException(
                        "start",
                        $"override '{clash.Id}' covers part of this span; a swap cannot change an override. Delete it and "
                        + "offer the shift again, or ask an admin for an override.");
                }

                var swap = new SwapRequest(
                    NewId(rotationId),
                    rotationId,
                    spec.Layer,
                    spec.Start,
                    spec.End,
                    requester,
                    offered,
                    SwapStatus.Open,
                    now);
                await swaps.AddAsync(swap, aggregate.ETag, cancellationToken);
                return (swap, aggregate.Rotation);
            },
            Attempts);

        await TellAsync(
            created.OfferedTo.Select(m => SwapMessages.Offered(
                created,
                rotation,
                m,
                links.TakeLink(created, m.Email),
                settings.RequireApproval)),
            created,
            cancellationToken);
        return created;
    }

    public async Task<SwapRequest> GetAsync(string id, CancellationToken cancellationToken = default)
    {
        var stored = await FindAsync(id, cancellationToken);
        return AsOf(stored.Swap, timeProvider.GetCurrentInstant());
    }

    /// <summary>Requests, newest shift last, with their status as of now (an open one whose start passed reads as expired).</summary>
    public async Task<IReadOnlyList<SwapRequest>> ListAsync(
        SwapStatus? status = null,
        string? rotationId = null,
        CancellationToken cancellationToken = default)
    {
        if (rotationId is not null)
        {
            RotationRules.RequireId(rotationId, "rotation");
        }

        var now = timeProvider.GetCurrentInstant();
        return [.. (await swaps.ListAsync(rotationId, cancellationToken))
            .Select(s => AsOf(s.Swap, now))
            .Where(s => status is null || s.Status == status)
            .OrderBy(s => s.Start)
            .ThenBy(s => s.Id, StringComparer.Ordinal)];
    }

    /// <summary>
    /// <paramref name="by"/>, one the request is offered to, takes the shift. Without approval the override is made in
    /// the same write; with it, the request waits for the supervisor. Everyone after the first is told it is taken (409).
    /// </summary>
    public async Task<SwapRequest> AcceptAsync(string id, string by, CancellationToken cancellationToken = default)
    {
        RequireEmail(by);
        var (swap, rotation) = await Optimistic.RetryAsync(
            async () =>
            {
                var stored = await FindAsync(id, cancellationToken);
                var now = timeProvider.GetCurrentInstant();
                RequireStatus(stored.Swap, now, SwapStatus.Open);
                var taker = stored.Swap.OfferedTo.FirstOrDefault(m => SwapRules.Same(m.Email, by))
                    ?? throw new ValidationFailedException(
                        "by",
                        $"'{by}' was not offered this shift; it is offered to "
                        + $"{string.Join(", ", stored.Swap.OfferedTo.Select(m => m.Email))}.");
                var taken = stored.Swap with { TakenBy = taker, TakenAt = now };
                if (settings.RequireApproval)
                {
                    var aggregate = await rotations.GetAsync(taken.RotationId, cancellationToken);
                    var pending = taken with { Status = SwapStatus.PendingApproval };
                    await swaps.SaveAsync(pending, stored.ETag, cancellationToken);
                    return (pending, aggregate.Rotation);
                }

                return await MakeOverrideAsync(taken, stored.ETag, now, cancellationToken);
            },
            Attempts);

        if (swap.Status == SwapStatus.PendingApproval)
        {
            await TellAsync(
                [SwapMessages.AwaitingApproval(swap, rotation, links.ReviewLink(swap, rotation.Settings.Supervisor.Email))],
                swap,
                cancellationToken);
        }
        else
        {
            await AfterOverrideAsync(swap, cancellationToken);
            await TellAsync([SwapMessages.Taken(swap, rotation)], swap, cancellationToken);
        }

        return swap;
    }

    /// <summary>The supervisor approves a taken request: the override is made.</summary>
    public async Task<SwapRequest> ApproveAsync(string id, string by, CancellationToken cancellationToken = default)
    {
        var (swap, rotation) = await DecideAsync(id, by, approve: true, cancellationToken);
        await AfterOverrideAsync(swap, cancellationToken);
        await TellAsync([SwapMessages.Approved(swap, rotation)], swap, cancellationToken);
        return swap;
    }

    /// <summary>The supervisor declines a taken request: the requester stays on call.</summary>
    public async Task<SwapRequest> DeclineAsync(string id, string by, CancellationToken cancellationToken = default)
    {
        var (swap, rotation) = await DecideAsync(id, by, approve: false, cancellationToken);
        await TellAsync([SwapMessages.Declined(swap, rotation)], swap, cancellationToken);
        return swap;
    }

    /// <summary>
    /// Withdraws a request that is open or waiting for approval. An admin may cancel any; otherwise
    /// <paramref name="by"/> must be the requester.
    /// </summary>
    public async Task<SwapRequest> CancelAsync(string id, string by, bool asAdmin, CancellationToken cancellationToken = default)
    {
        RequireEmail(by);
        var (swap, rotation) = await Optimistic.RetryAsync(
            async () =>
            {
                var stored = await FindAsync(id, cancellationToken);
                var now = timeProvider.GetCurrentInstant();
                if (!asAdmin && !SwapRules.Same(by, stored.Swap.Requester.Email))
                {
                    throw new ValidationFailedException(
                        "by",
                        $"only the requester ({stored.Swap.Requester.Email}) or an admin may cancel this request.");
                }

                RequireStatus(stored.Swap, now, SwapStatus.Open, SwapStatus.PendingApproval);
                var aggregate = await rotations.GetAsync(stored.Swap.RotationId, cancellationToken);
                var cancelled = stored.Swap with { Status = SwapStatus.Cancelled, DecidedBy = by, DecidedAt = now };
                await swaps.SaveAsync(cancelled, stored.ETag, cancellationToken);
                return (cancelled, aggregate.Rotation);
            },
            Attempts);

        await TellAsync([SwapMessages.Cancelled(swap, rotation)], swap, cancellationToken);
        return swap;
    }

    private async Task<(SwapRequest Swap, Rotation Rotation)> DecideAsync(
        string id,
        string by,
        bool approve,
        CancellationToken cancellationToken)
    {
        RequireEmail(by);
        return await Optimistic.RetryAsync(
            async () =>
            {
                var stored = await FindAsync(id, cancellationToken);
                var now = timeProvider.GetCurrentInstant();
                var aggregate = await rotations.GetAsync(stored.Swap.RotationId, cancellationToken);
                var supervisor = aggregate.Rotation.Settings.Supervisor.Email;
                if (!SwapRules.Same(by, supervisor))
                {
                    throw new ValidationFailedException("by", $"must be the rotation supervisor's email ({supervisor}).");
                }

                RequireStatus(stored.Swap, now, SwapStatus.PendingApproval);
                var decided = stored.Swap with { DecidedBy = by, DecidedAt = now };
                if (approve)
                {
                    return await MakeOverrideAsync(decided, stored.ETag, now, cancellationToken);
                }

                var declined = decided with { Status = SwapStatus.Declined };
                await swaps.SaveAsync(declined, stored.ETag, cancellationToken);
                return (declined, aggregate.Rotation);
            },
            Attempts);
    }

    /// <summary>
    /// The taken request and its override in one write, checked again against the rotation as it is now: the span must
    /// still be the requester's shift and no override may have landed on it since the request was made.
    /// </summary>
    private async Task<(SwapRequest Swap, Rotation Rotation)> MakeOverrideAsync(
        SwapRequest taken,
        string swapETag,
        Instant now,
        CancellationToken cancellationToken)
    {
        var aggregate = await rotations.GetAsync(taken.RotationId, cancellationToken);
        var clash = aggregate.Overrides.FirstOrDefault(o => o.Layer == taken.Layer && o.Start < taken.End && taken.Start < o.End);
        if (clash is not null)
        {
            throw new ConflictException(
                "id",
                $"override '{clash.Id}' has covered part of this shift since it was offered, so the swap cannot be made.");
        }

        try
        {
            SwapRules.CheckAgainst(
                aggregate.Rotation,
                aggregate.Overrides,
                new SwapSpec(taken.Layer, taken.Start, taken.End, taken.Requester.Email, [taken.TakenBy!.Email]));
        }
        catch (ValidationFailedException e)
        {
            throw new ConflictException("id", $"the rotation changed since the shift was offered, so the swap cannot be made: {e.Message}");
        }

        var reason = $"Swap {taken.Id}: {taken.TakenBy.Name} covers {taken.Requester.Name}";
        var addition = new Override(
            NewOverrideId(),
            taken.Layer,
            taken.Start,
            taken.End,
            taken.TakenBy,
            reason[..Math.Min(reason.Length, RotationRules.MaxText)],
            now);
        var accepted = taken with { Status = SwapStatus.Accepted, OverrideId = addition.Id };
        await swaps.AcceptAsync(accepted, swapETag, addition, aggregate.ETag, cancellationToken);
        return (accepted, aggregate.Rotation);
    }

    /// <summary>The override is in: the calendars (and whatever else follows a rotation write) catch up.</summary>
    private Task AfterOverrideAsync(SwapRequest swap, CancellationToken cancellationToken) =>
        rotations.AfterWriteAsync(swap.RotationId, cancellationToken);

    /// <summary>
    /// Sends the messages of a step that has happened; a channel that fails is logged, not retried by the caller, whose
    /// step must not be repeated (the HTTP clients retry transient failures already).
    /// </summary>
    private async Task TellAsync(IEnumerable<Notification> messages, SwapRequest swap, CancellationToken cancellationToken)
    {
        OnCallTelemetry.Tag(OnCallTelemetry.SwapAttribute, swap.Id);
        OnCallTelemetry.Tag(OnCallTelemetry.RotationAttribute, swap.RotationId);
        foreach (var message in messages)
        {
            try
            {
                var result = await notifier.NotifyAsync(message, cancellationToken);
                metrics.NoticeSent("swap", result);
                foreach (var failed in result.Channels.Where(c => c.Status == DeliveryStatus.Failed))
                {
                    logger.LogWarning(
                        "Swap {SwapId}: '{Title}' not delivered on {Channel}: {Reason}.",
                        swap.Id,
                        message.Title,
                        failed.Channel,
                        failed.Reason);
                }
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                logger.LogWarning("Swap {SwapId}: '{Title}' not delivered ({ExceptionType}).", swap.Id, message.Title, e.GetType().Name);
            }
        }
    }

    private static void RequireStatus(SwapRequest swap, Instant now, params SwapStatus[] allowed)
    {
        var status = swap.StatusAt(now);
        if (allowed.Contains(status))
        {
            return;
        }

        throw new ConflictException("id", status switch
        {
            SwapStatus.Open => $"swap request '{swap.Id}' has not been taken yet.",
            SwapStatus.PendingApproval => $"already taken by {swap.TakenBy?.Name}; waiting for the supervisor's approval.",
            SwapStatus.Accepted => $"already taken by {swap.TakenBy?.Name}.",
            SwapStatus.Declined => $"the supervisor ({swap.DecidedBy}) declined it.",
            SwapStatus.Cancelled => $"{swap.DecidedBy} cancelled it.",
            _ => $"it expired: its shift started at {InstantText.Format(swap.Start)}.",
        });
    }

    private static SwapRequest AsOf(SwapRequest swap, Instant now) => swap with { Status = swap.StatusAt(now) };

    private async Task<StoredSwap> FindAsync(string id, CancellationToken cancellationToken) =>
        await swaps.FindAsync(RequireId(id), cancellationToken) ?? throw new NotFoundException("Swap request", id);

    private static void RequireEmail(string by)
    {
        var errors = new ValidationErrors();
        RotationRules.CheckEmail(by, "by", errors);
        errors.ThrowIfAny();
    }

    /// <summary>The wire name of a status: open, pending-approval, accepted, declined, cancelled, expired.</summary>
    public static string Wire(SwapStatus status) =>
        status == SwapStatus.PendingApproval ? "pending-approval" : status.ToString().ToLowerInvariant();

    /// <summary>A swap id is <c>{rotation}.{32 hex digits}</c>.</summary>
    public static string RequireId(string? id) =>
        id is not null && IdPattern().IsMatch(id)
            ? id
            : throw new ValidationFailedException("id", "is not a swap request id ({rotation}.{32 hex digits}).");

    /// <summary>The rotation a valid swap id belongs to.</summary>
    public static string RotationOf(string id) => RequireId(id)[..id.LastIndexOf('.')];

    /// <summary>The part of a valid swap id after the rotation.</summary>
    public static string LocalIdOf(string id) => RequireId(id)[(id.LastIndexOf('.') + 1)..];

    private static string NewId(string rotationId) => $"{rotationId}.{Guid.CreateVersion7():N}";

    private static string NewOverrideId() => Guid.CreateVersion7().ToString("N");

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,62}\\.[0-9a-f]{32}$")]
    private static partial Regex IdPattern();
}
