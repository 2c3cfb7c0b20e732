using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using NodaTime;
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

/// <summary>
/// The desired calendar of one rotation: what the ICS feed and the Google sync both publish, the ledger's entries
/// overlapping the state's window (read with <see cref="CalendarStateService.ReadAsync"/>, a part at a time).
/// <see cref="Shifts"/> is how many shifts the window holds: a size for whoever keeps something per entry.
/// </summary>
public sealed record DesiredCalendar(RotationSettings Settings, CalendarStateVersion State, int Shifts);

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
        // The ledger is compared a part at a time: only the shifts are held, never every entry (88,000 at most).
        return await Optimistic.RetryAsync(async () =>
        {
            var reconciliation = new FeedLedgerReconciliation(rotation.Settings, shifts, window, now);
            var state = await ledger.RewriteAsync(rotation.Id, reconciliation, cancellationToken);
            return new DesiredCalendar(rotation.Settings, state ?? reconciliation.State!, shifts.Count);
        }, Attempts);
    }

    /// <summary>
    /// The entries of <paramref name="desired"/> overlapping [<paramref name="from"/>, <paramref name="to"/>), a part
    /// at a time.
    /// </summary>
    public IAsyncEnumerable<FeedEntry> ReadAsync(
        DesiredCalendar desired, Instant from, Instant to, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(desired);
        return ledger.ReadWindowAsync(
            desired.Settings.Id,
            Instant.Max(from, desired.State.WindowStart),
            Instant.Min(to, desired.State.WindowEnd),
            cancellationToken);
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
    /// A hash of everything the feed body shows: the rotation's texts and every published entry, in any order. Equal
    /// states give equal versions on every instance, so two reconcilers agree, and a changed supervisor or name changes
    /// the ETag too.
    /// </summary>
    public static string VersionOf(RotationSettings settings, IReadOnlyList<FeedEntry> published)
    {
        ArgumentNullException.ThrowIfNull(published);
        var version = new FeedVersion();
        foreach (var e in published)
        {
            version.Add(e);
        }

        return version.Result(settings);
    }
}

/// <summary>
/// <see cref="CalendarStateService.VersionOf"/>, built an entry at a time and in any order: the sum of the entries'
/// hashes, so a reconciliation that reads the ledger a part at a time need not sort or hold what it publishes.
/// </summary>
public sealed class FeedVersion
{
    private readonly ArrayBufferWriter<byte> _entry = new(256);
    private UInt128 _sum;

    public void Add(FeedEntry e)
    {
        ArgumentNullException.ThrowIfNull(e);
        Append(_entry, e.EventId);
        Append(_entry, e.Layer);
        Append(_entry, e.Member.Name);
        Append(_entry, e.Member.Email);
        Append(_entry, InstantText.FormatWholeSeconds(e.Start));
        Append(_entry, InstantText.FormatWholeSeconds(e.End));
        Append(_entry, e.IsOverride ? "o" : "");
        Append(_entry, e.Sequence.ToString(CultureInfo.InvariantCulture));
        Append(_entry, InstantText.Format(e.LastModified));
        Append(_entry, e.Cancelled ? "c" : "");
        Span<byte> digest = stackalloc byte[32];
        SHA256.HashData(_entry.WrittenSpan, digest);
        _entry.ResetWrittenCount();
        _sum += BinaryPrimitives.ReadUInt128LittleEndian(digest);
    }

    public string Result(RotationSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Append(hash, settings.Name);
        Append(hash, settings.TimeZone.Id);
        Append(hash, settings.Supervisor.Name);
        Append(hash, settings.Supervisor.Email);
        Span<byte> sum = stackalloc byte[16];
        BinaryPrimitives.WriteUInt128LittleEndian(sum, _sum);
        hash.AppendData(sum);
        return Convert.ToHexStringLower(hash.GetHashAndReset().AsSpan(0, 16));
    }

    private static void Append(IncrementalHash hash, string? text)
    {
        hash.AppendData(Encoding.UTF8.GetBytes(text ?? ""));
        hash.AppendData([0]);
    }

    private static void Append(ArrayBufferWriter<byte> buffer, string? text)
    {
        Encoding.UTF8.GetBytes(text ?? "", buffer);
        buffer.Write([(byte)0]);
    }
}
