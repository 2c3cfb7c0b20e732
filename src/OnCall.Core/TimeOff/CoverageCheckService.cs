using Microsoft.Extensions.Logging;
using NodaTime;
using OnCall.Core.Diagnostics;
using OnCall.Core.Errors;
using OnCall.Core.Handoffs;
using OnCall.Core.Notifications;
using OnCall.Core.Ports;
using OnCall.Core.Rotations;
using OnCall.Core.Swaps;
using OnCall.Core.Time;

namespace OnCall.Core.TimeOff;

/// <summary>
/// Looks <see cref="CoverageSettings.LookAhead"/> ahead for coverage problems and tells the supervisor and the engineer
/// concerned once per problem, again when it changes, and once more when it is solved before it ends. Every message is
/// claimed on its notice row with an ETag write (an insert for a new problem) before it is sent, so of two instances
/// checking at once only one sends; a channel that failed is retried alone on a later check.
/// </summary>
public sealed class CoverageCheckService(
    IRotationRepository rotations,
    ITimeOffRepository timeOff,
    ICoverageNoticeRepository notices,
    INotifier notifier,
    ISwapLinks links,
    CoverageSettings settings,
    OnCallMetrics metrics,
    TimeProvider timeProvider,
    ILogger<CoverageCheckService> logger)
{
    /// <summary>Recording a delivery races only the next claim of the same notice: a few reads settle it.</summary>
    private const int Attempts = 3;

    /// <summary>A notice step that loses was taken by whoever won; it sends what it claimed.</summary>
    private const int Once = 1;

    /// <summary>Checks every rotation; one rotation failing does not stop the others, and the run fails after them all.</summary>
    public async Task CheckAllAsync(CancellationToken cancellationToken = default)
    {
        var failed = new List<string>();
        foreach (var aggregate in await rotations.ListAsync(cancellationToken))
        {
            try
            {
                await CheckAsync(aggregate, cancellationToken);
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                logger.LogWarning(e, "Coverage of rotation {RotationId} not checked.", aggregate.Rotation.Id);
                failed.Add(aggregate.Rotation.Id);
            }
        }

        if (failed.Count > 0)
        {
            throw new InvalidOperationException(
                $"Coverage not checked for rotations {string.Join(", ", failed)}; the next run tries again.");
        }
    }

    /// <summary>Checks one rotation; a rotation that no longer exists leaves no notices behind.</summary>
    public async Task CheckAsync(string rotationId, CancellationToken cancellationToken = default)
    {
        var aggregate = await rotations.FindAsync(RotationRules.RequireId(rotationId, "rotationId"), cancellationToken);
        if (aggregate is null)
        {
            await notices.DeleteAllAsync(rotationId, cancellationToken);
            return;
        }

        await CheckAsync(aggregate, cancellationToken);
    }

    private async Task CheckAsync(RotationAggregate aggregate, CancellationToken cancellationToken)
    {
        var rotation = aggregate.Rotation;
        var now = timeProvider.GetCurrentInstant();
        var (from, to) = (now, now + settings.LookAhead);
        var shifts = ShiftExpander.Expand(rotation, aggregate.Overrides, from, to);
        var away = shifts.Count == 0
            ? []
            : await timeOff.ListAsync(rotation.Id, shifts.Min(s => s.Start), shifts.Max(s => s.End), cancellationToken);
        var current = CoverageDiff.Normalize(
            CoverageService.Find(rotation.Settings.Layers.Select(l => l.Name), shifts, away, from, to),
            from);
        var stored = await notices.ListAsync(rotation.Id, cancellationToken);
        foreach (var step in CoverageDiff.Plan(stored, current, from, to))
        {
            // Another instance (or an earlier run) may write this notice first; then it sends what it claimed.
            await Optimistic.TryAsync(() => ApplyAsync(step, rotation, now, from, to, cancellationToken), Once);
        }
    }

    private async Task ApplyAsync(
        CoverageStep step,
        Rotation rotation,
        Instant now,
        Instant from,
        Instant to,
        CancellationToken cancellationToken)
    {
        var stored = step.Stored;
        switch (step.Kind)
        {
            case CoverageStepKind.Tell:
            {
                var notice = new CoverageNotice(
                    rotation.Id,
                    CoverageNotice.IdFor(step.Current!, from),
                    step.Current!,
                    from,
                    to,
                    CoverageNoticeKind.Problem,
                    Claim(null, now));
                if (await notices.AddIfAbsentAsync(notice, cancellationToken) is not null)
                {
                    await DeliverAsync(notice, rotation, null, now, cancellationToken);
                }

                break;
            }

            case CoverageStepKind.Reopen or CoverageStepKind.Change:
            {
                var told = step.Kind == CoverageStepKind.Change ? CoverageNoticeKind.Changed : CoverageNoticeKind.Problem;
                var notice = stored!.Notice with
                {
                    Problem = step.Current!,
                    WindowFrom = from,
                    WindowTo = to,
                    Told = told,
                    WasStart = told == CoverageNoticeKind.Changed ? stored.Notice.Problem.Start : null,
                    WasEnd = told == CoverageNoticeKind.Changed ? stored.Notice.Problem.End : null,
                    Delivery = Claim(null, now),
                };
                await notices.SaveAsync(notice, stored.ETag, cancellationToken);
                await DeliverAsync(notice, rotation, null, now, cancellationToken);
                break;
            }

            case CoverageStepKind.Update:
            {
                var notice = stored!.Notice with { Problem = step.Current!, WindowFrom = from, WindowTo = to };
                await RetryAsync(
                    new StoredCoverageNotice(notice, await notices.SaveAsync(notice, stored.ETag, cancellationToken)),
                    rotation,
                    now,
                    cancellationToken);
                break;
            }

            case CoverageStepKind.Solve:
            {
                var notice = stored!.Notice with
                {
                    Told = CoverageNoticeKind.Solved,
                    WasStart = null,
                    WasEnd = null,
                    Delivery = Claim(null, now),
                };
                await notices.SaveAsync(notice, stored.ETag, cancellationToken);
                await DeliverAsync(notice, rotation, null, now, cancellationToken);
                break;
            }

            case CoverageStepKind.Drop:
                await notices.DeleteAsync(rotation.Id, stored!.Notice.Id, stored.ETag, cancellationToken);
                break;

            default:
                await RetryAsync(stored!, rotation, now, cancellationToken);
                break;
        }
    }

    /// <summary>Sends the last message again on the channels that failed (every channel after a claim whose results were lost).</summary>
    private async Task RetryAsync(StoredCoverageNotice stored, Rotation rotation, Instant now, CancellationToken cancellationToken)
    {
        var previous = stored.Notice.Delivery;
        if (!previous.NeedsRetry(now))
        {
            return;
        }

        IReadOnlySet<NotificationChannel>? only = previous.RecordedAt is not null ? previous.Retry.ToHashSet() : null;
        var claimed = stored.Notice with { Delivery = Claim(previous, now) };
        await notices.SaveAsync(claimed, stored.ETag, cancellationToken);
        await DeliverAsync(claimed, rotation, only, now, cancellationToken);
    }

    /// <summary>Sends a claimed message and records each channel's outcome on the notice.</summary>
    private async Task DeliverAsync(
        CoverageNotice claimed,
        Rotation rotation,
        IReadOnlySet<NotificationChannel>? only,
        Instant now,
        CancellationToken cancellationToken)
    {
        var p = claimed.Problem;
        var link = p.Kind == CoverageProblemKind.Conflict ? links.OfferLink(rotation.Id, p.Layer, p.Start, p.End, p.Member!) : null;
        var result = await notifier.NotifyAsync(
            CoverageMessages.For(claimed, rotation, link) with { OnlyChannels = only },
            cancellationToken);
        metrics.NoticeSent("coverage", result);
        await Optimistic.RetryAsync(async () =>
        {
            var stored = await notices.FindAsync(claimed.RotationId, claimed.Id, cancellationToken);
            if (stored is null || stored.Notice.Delivery.ClaimedAt != claimed.Delivery.ClaimedAt)
            {
                // Gone, or claimed again since (a newer message): this outcome is no longer the one to record.
                return false;
            }

            var delivery = stored.Notice.Delivery;
            var recorded = delivery with
            {
                RecordedAt = now,
                SentAt = delivery.SentAt ?? (result.Channels.Any(c => c.Status == DeliveryStatus.Sent) ? now : null),
                Retry = [.. result.FailedChannels.Order()],
                Channels = [.. delivery.Channels.Where(c => result.For(c.Channel) is null).Concat(result.Channels).OrderBy(c => c.Channel)],
            };
            await notices.SaveAsync(stored.Notice with { Delivery = recorded }, stored.ETag, cancellationToken);
            return true;
        }, Attempts);
    }

    private static HandoffNotice Claim(HandoffNotice? previous, Instant now) =>
        previous is null
            ? new HandoffNotice(now, 1, null, null, [], [])
            : previous with { ClaimedAt = now, Attempts = previous.Attempts + 1 };
}
