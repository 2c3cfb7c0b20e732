using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using NodaTime;
using NodaTime.Text;
using OnCall.Core.Errors;
using OnCall.Core.Ports;
using OnCall.Core.Rotations;
using OnCall.Core.Time;

namespace OnCall.Core.Feeds;

/// <summary>
/// The version of a rotation's reconciled calendar state and the window it was reconciled for. The ICS feed publishes
/// exactly the ledger entries overlapping [<see cref="WindowStart"/>, <see cref="WindowEnd"/>), so the version alone
/// identifies the feed's body: it is the feed's ETag.
/// </summary>
public sealed record CalendarStateVersion(string Version, Instant WindowStart, Instant WindowEnd, Instant ReconciledAt);

/// <summary>The desired calendar of one rotation: what the ICS feed and the Google sync both publish.</summary>
public sealed record DesiredCalendar(RotationSettings Settings, IReadOnlyList<FeedEntry> Entries, CalendarStateVersion State);

/// <summary>
/// Reconciles a rotation's calendar state (shift key → sequence, last change, cancelled) with its computed shifts.
/// Runs when a rotation or its overrides change and from the <c>SyncCalendars</c> timer, never on a read, so a feed
/// GET writes nothing.
/// </summary>
public sealed class CalendarStateService(IRotationRepository repository, IFeedLedger ledger, TimeProvider timeProvider)
{
    /// <summary>Reconcilers race only each other (a write, a timer elsewhere); the loser's redo finds the work done.</summary>
    private const int Attempts = 3;

    /// <summary>Reconciles the rotation <paramref name="rotationId"/>; null when it does not exist (any more).</summary>
    public async Task<DesiredCalendar?> ReconcileAsync(string rotationId, CancellationToken cancellationToken = default)
    {
        var aggregate = await repository.FindAsync(rotationId, cancellationToken);
        return aggregate is null ? null : await ReconcileAsync(aggregate, cancellationToken);
    }

    public async Task<DesiredCalendar> ReconcileAsync(RotationAggregate aggregate, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(aggregate);
        var rotation = aggregate.Rotation;
        var now = timeProvider.GetCurrentInstant();
        var window = FeedWindow(rotation.Settings, now);
        var shifts = ShiftExpander.Expand(rotation, aggregate.Overrides, window.Start, window.End);

        // Another reconciler (a write, the timer on another instance) may record the same change first; then redo.
        return await Optimistic.RetryAsync(async () =>
        {
            var stored = await ledger.LoadAsync(rotation.Id, cancellationToken);
            var reconciliation = FeedReconciler.Reconcile(shifts, stored.Entries, window, now);
            var version = VersionOf(rotation.Settings, reconciliation.Published);
            var state = stored.State;

            // The window moves every run; only changed entries or a changed body need a commit.
            if (reconciliation.Changes.Count > 0 || state is null || state.Version != version)
            {
                state = new CalendarStateVersion(version, window.Start, window.End, now);
                await ledger.CommitAsync(stored, reconciliation.Changes, state, cancellationToken);
            }

            return new DesiredCalendar(rotation.Settings, reconciliation.Published, state);
        }, Attempts);
    }

    /// <summary>
    /// From the feed's lookback to the horizon. Sub-daily shifts make a feed long fast (1-hour shifts over a year are
    /// 9,000 events), and calendar apps refresh a subscription at most hourly, so theirs looks only two days back.
    /// </summary>
    public static Interval FeedWindow(RotationSettings settings, Instant now)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var subDaily = settings.Layers.Any(l => l.ShiftLengthHours < 24);
        return new Interval(now - (subDaily ? SubDailyLookback : FeedService.Lookback), settings.HorizonEnd(now));
    }

    public static readonly Duration SubDailyLookback = Duration.FromDays(2);

    /// <summary>
    /// A hash of everything the feed body shows: the rotation's texts and every published entry. Equal states give equal
    /// versions on every instance, so two reconcilers agree, and a changed supervisor or name changes the ETag too.
    /// </summary>
    public static string VersionOf(RotationSettings settings, IReadOnlyList<FeedEntry> published)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(published);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        void Add(string? text)
        {
            hash.AppendData(Encoding.UTF8.GetBytes(text ?? ""));
            hash.AppendData([0]);
        }

        Add(settings.Name);
        Add(settings.TimeZone.Id);
        Add(settings.Supervisor.Name);
        Add(settings.Supervisor.Email);
        foreach (var e in published)
        {
            Add(e.EventId);
            Add(e.Layer);
            Add(e.Member.Name);
            Add(e.Member.Email);
            Add(InstantPattern.General.Format(e.Start));
            Add(InstantPattern.General.Format(e.End));
            Add(e.IsOverride ? "o" : "");
            Add(e.Sequence.ToString(CultureInfo.InvariantCulture));
            Add(InstantPattern.ExtendedIso.Format(e.LastModified));
            Add(e.Cancelled ? "c" : "");
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset().AsSpan(0, 16));
    }
}
