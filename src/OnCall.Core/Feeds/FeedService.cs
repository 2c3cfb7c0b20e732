using System.Collections.Concurrent;
using System.Security.Cryptography;
using NodaTime;
using OnCall.Core.Errors;
using OnCall.Core.Ports;
using OnCall.Core.Rotations;
using OnCall.Core.Time;

namespace OnCall.Core.Feeds;

/// <summary>A feed's validator, known before its body is built, and the way to get the body.</summary>
public sealed record CalendarFeed(string ETag, Func<CancellationToken, Task<FeedBody>> ReadBodyAsync);

/// <summary>
/// Serves a rotation's ICS subscription feed from its reconciled calendar state, and writes nothing: the state is
/// reconciled when the rotation changes and by the <c>SyncCalendars</c> timer. The ETag is the state's version, so an
/// <c>If-None-Match</c> is answered without building anything, and a body is built once per version and kept.
/// </summary>
public sealed class FeedService(IRotationRepository repository, IFeedLedger ledger, ICalendarFeedWriter writer, TimeProvider timeProvider)
{
    public static readonly Duration Lookback = Duration.FromDays(15);

    // One body per rotation, the latest version asked for: a feed is read far more often than it changes.
    private readonly ConcurrentDictionary<string, (string Version, FeedBody Body)> _bodies = new(StringComparer.Ordinal);

    public async Task<CalendarFeed> GetAsync(string rotationId, string? token, CancellationToken cancellationToken = default)
    {
        // A wrong token must look exactly like a missing rotation, so feeds cannot be probed.
        var aggregate = await repository.FindAsync(RotationRules.RequireId(rotationId, "id"), cancellationToken);
        if (aggregate is null || !FeedToken.Matches(token, aggregate.Rotation.FeedTokenHash))
        {
            throw new NotFoundException("Calendar feed", rotationId);
        }

        var settings = aggregate.Rotation.Settings;
        var state = await ledger.GetStateAsync(rotationId, cancellationToken);
        if (state is null)
        {
            // Never reconciled (a rotation stored before states were kept): compute it as the next reconciliation
            // would, without recording anything; the timer records it within one run.
            var now = timeProvider.GetCurrentInstant();
            var window = CalendarStateService.FeedWindow(settings, now);
            var shifts = ShiftExpander.Expand(aggregate.Rotation, aggregate.Overrides, window.Start, window.End);
            var published = FeedReconciler
                .Reconcile(shifts, (await ledger.LoadAsync(rotationId, cancellationToken)).Entries, window, now)
                .Published;
            var body = await FeedBody.RenderAsync(writer, settings, published.ToAsyncEnumerable(), cancellationToken);
            return new CalendarFeed(
                Quote(Convert.ToHexStringLower(SHA256.HashData(await body.ToPlainArrayAsync(cancellationToken)).AsSpan(0, 16))),
                _ => Task.FromResult(body));
        }

        return new CalendarFeed(Quote(state.Version), ct => BodyAsync(settings, state, ct));
    }

    private async Task<FeedBody> BodyAsync(RotationSettings settings, CalendarStateVersion state, CancellationToken cancellationToken)
    {
        if (_bodies.TryGetValue(settings.Id, out var cached) && cached.Version == state.Version)
        {
            return cached.Body;
        }

        // Streamed from storage in the ledger's order (layer, then start), not sorted by time: sorting would hold every
        // entry (88,000 for the largest rotation), and calendar apps order events themselves.
        var body = await FeedBody.RenderAsync(
            writer,
            settings,
            ledger.ReadWindowAsync(settings.Id, state.WindowStart, state.WindowEnd, cancellationToken),
            cancellationToken);
        _bodies[settings.Id] = (state.Version, body);
        return body;
    }

    private static string Quote(string version) => "\"" + version + "\"";
}
