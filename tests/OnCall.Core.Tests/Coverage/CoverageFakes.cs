using System.Collections.Concurrent;
using NodaTime;
using OnCall.Core.Errors;
using OnCall.Core.Handoffs;
using OnCall.Core.Ports;
using OnCall.Core.Swaps;
using OnCall.Core.TimeOff;
using static OnCall.Core.Tests.Rotations;

namespace OnCall.Core.Tests.Coverage;

/// <summary>Coverage notices in memory, with versions checked as Table Storage checks ETags.</summary>
internal sealed class InMemoryCoverageNotices : ICoverageNoticeRepository
{
    private readonly ConcurrentDictionary<(string, string), StoredCoverageNotice> _rows = new();
    private int _version;

    public IReadOnlyList<CoverageNotice> All => [.. _rows.Values.Select(r => r.Notice)];

    public Task<IReadOnlyList<StoredCoverageNotice>> ListAsync(string rotationId, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<StoredCoverageNotice>>([.. _rows.Values.Where(r => r.Notice.RotationId == rotationId)]);

    public Task<StoredCoverageNotice?> FindAsync(string rotationId, string id, CancellationToken cancellationToken = default) =>
        Task.FromResult(_rows.GetValueOrDefault((rotationId, id)));

    public Task<string?> AddIfAbsentAsync(CoverageNotice notice, CancellationToken cancellationToken = default)
    {
        var row = new StoredCoverageNotice(notice, NextVersion());
        return Task.FromResult(_rows.TryAdd((notice.RotationId, notice.Id), row) ? row.ETag : null);
    }

    public Task<string> SaveAsync(CoverageNotice notice, string etag, CancellationToken cancellationToken = default)
    {
        var key = (notice.RotationId, notice.Id);
        var current = _rows.GetValueOrDefault(key);
        var next = new StoredCoverageNotice(notice, NextVersion());
        if (current is null || current.ETag != etag || !_rows.TryUpdate(key, next, current))
        {
            throw new ConcurrencyException("Coverage notice", notice.Id);
        }

        return Task.FromResult(next.ETag);
    }

    public Task DeleteAsync(string rotationId, string id, string etag, CancellationToken cancellationToken = default) =>
        _rows.GetValueOrDefault((rotationId, id)) is { } row && row.ETag == etag && _rows.TryRemove(new KeyValuePair<(string, string), StoredCoverageNotice>((rotationId, id), row))
            ? Task.CompletedTask
            : throw new ConcurrencyException("Coverage notice", id);

    public Task DeleteAllAsync(string rotationId, CancellationToken cancellationToken = default)
    {
        foreach (var key in _rows.Keys.Where(k => k.Item1 == rotationId))
        {
            _rows.TryRemove(key, out _);
        }

        return Task.CompletedTask;
    }

    private string NextVersion() => Interlocked.Increment(ref _version).ToString(System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>Time off in memory, every entry of the one rotation, ordered by start as the Table repository lists it.</summary>
internal sealed class InMemoryTimeOff : ITimeOffRepository
{
    public List<TimeOffEntry> Entries { get; } = [];

    /// <summary>Listing the time off of this rotation fails (storage down for its partition).</summary>
    public string? FailFor { get; set; }

    public void Add(string member, string start, string end) =>
        Entries.Add(new TimeOffEntry($"t{Entries.Count}", member, Utc(start), Utc(end), null, Utc("2026-01-01T00:00:00Z")));

    public Task AddAsync(string rotationId, TimeOffEntry entry, CancellationToken cancellationToken = default)
    {
        Entries.Add(entry);
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<TimeOffEntry>> ListAsync(
        string rotationId, Instant? rangeStart = null, Instant? rangeEnd = null, CancellationToken cancellationToken = default) =>
        rotationId == FailFor
            ? throw new TimeoutException($"time off of {rotationId} unreadable")
            : Task.FromResult<IReadOnlyList<TimeOffEntry>>([.. Entries
                .Where(e => rangeStart is null || rangeEnd is null || e.Overlaps(rangeStart.Value, rangeEnd.Value))
                .OrderBy(e => e.Start)]);

    public Task<bool> RemoveAsync(string rotationId, string timeOffId, CancellationToken cancellationToken = default) =>
        Task.FromResult(Entries.RemoveAll(e => e.Id == timeOffId) > 0);

    public Task DeleteAllAsync(string rotationId, CancellationToken cancellationToken = default)
    {
        Entries.Clear();
        return Task.CompletedTask;
    }
}

internal sealed class NoSwapLinks : ISwapLinks
{
    public Uri? OfferLink(string rotationId, string layer, Instant shiftFrom, Instant shiftUntil, string email) => null;

    public Uri? TakeLink(SwapRequest swap, string email) => null;

    public Uri? ReviewLink(SwapRequest swap, string email) => null;

    public Uri? CancelLink(SwapRequest swap, string email) => null;
}

/// <summary>Stored notices and problems for the diff tests.</summary>
internal static class Notices
{
    public static CoverageProblem Gap(string start, string end, string layer = "primary") =>
        new(layer, Utc(start), Utc(end), CoverageProblemKind.Gap, null);

    public static CoverageProblem Conflict(string start, string end, string member = "ada@example.com", string layer = "primary") =>
        new(layer, Utc(start), Utc(end), CoverageProblemKind.Conflict, member);

    public static StoredCoverageNotice Known(CoverageProblem problem, string windowFrom, string windowTo, CoverageNoticeKind told = CoverageNoticeKind.Problem) =>
        new(new CoverageNotice("platform", CoverageNotice.IdFor(problem, Utc(windowFrom)), problem, Utc(windowFrom), Utc(windowTo), told, new HandoffNotice(Utc(windowFrom), 1, Utc(windowFrom), Utc(windowFrom), [], [])), "1");
}
