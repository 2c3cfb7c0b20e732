using System.Security.Cryptography;
using System.Text;
using NodaTime;
using OnCall.Core.Errors;
using OnCall.Core.Ports;
using OnCall.Core.Rotations;
using OnCall.Core.Time;

namespace OnCall.Core.Feeds;

/// <summary>A rendered feed and the validator calendar apps send back in If-None-Match.</summary>
public sealed record CalendarFeed(string Body, string ETag);

/// <summary>Builds a rotation's ICS subscription feed from 15 days ago to its horizon.</summary>
public sealed class FeedService(IRotationRepository repository, IFeedLedger ledger, ICalendarFeedWriter writer, TimeProvider timeProvider)
{
    public static readonly Duration Lookback = Duration.FromDays(15);

    public async Task<CalendarFeed> GetAsync(string rotationId, string? token, CancellationToken cancellationToken = default)
    {
        // A wrong token must look exactly like a missing rotation, so feeds cannot be probed.
        var aggregate = await repository.FindAsync(RotationRules.RequireId(rotationId, "id"), cancellationToken);
        if (aggregate is null || !FeedToken.Matches(token, aggregate.Rotation.FeedTokenHash))
        {
            throw new NotFoundException("Calendar feed", rotationId);
        }

        var settings = aggregate.Rotation.Settings;
        var now = timeProvider.GetCurrentInstant();
        var window = new Interval(now - Lookback, settings.HorizonEnd(now));
        var shifts = ShiftExpander.Expand(aggregate.Rotation, aggregate.Overrides, window.Start, window.End);

        // Another feed request may record the same change first; then read what it wrote and redo.
        return await Optimistic.RetryAsync(async () =>
        {
            var stored = await ledger.LoadAsync(rotationId, cancellationToken);
            var reconciliation = FeedReconciler.Reconcile(shifts, stored, window, now);
            if (reconciliation.Changes.Count > 0)
            {
                await ledger.SaveAsync(rotationId, reconciliation.Changes, cancellationToken);
            }

            var body = writer.Write(settings, reconciliation.Published);
            return new CalendarFeed(body, ETagOf(body));
        });
    }

    private static string ETagOf(string body) =>
        "\"" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(body)).AsSpan(0, 16)) + "\"";
}
