using System.Globalization;
using OnCall.Core.Errors;
using OnCall.Core.Ports;
using OnCall.Core.Rotations;
using OnCall.Core.Swaps;

namespace OnCall.Core.Tests.Fakes;

/// <summary>
/// Swap requests in memory beside their rotation, as the Table repository keeps them: adding one and accepting one check
/// and move the rotation's version in the same write; a moved version (rotation or request) is a
/// <see cref="ConcurrencyException"/>.
/// </summary>
internal sealed class InMemorySwaps(InMemoryRotations rotations) : ISwapRepository
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, StoredSwap> _rows = new(StringComparer.Ordinal);
    private int _version;

    /// <summary>Run, one per write, before the write is checked: another writer getting in first.</summary>
    public Queue<Action> BeforeWrite { get; } = new();

    public SwapRequest this[string id] => _rows[id].Swap;

    public string Seed(SwapRequest swap)
    {
        lock (_lock)
        {
            var etag = NextVersion();
            _rows[swap.Id] = new StoredSwap(swap, etag);
            return etag;
        }
    }

    public Task AddAsync(SwapRequest swap, string rotationETag, CancellationToken cancellationToken = default)
    {
        RunBeforeWrite();
        lock (_lock)
        {
            if (_rows.ContainsKey(swap.Id))
            {
                throw new ConcurrencyException("Rotation", swap.RotationId);
            }

            rotations.CheckAndMove(swap.RotationId, rotationETag, () => _rows[swap.Id] = new StoredSwap(swap, NextVersion()));
            return Task.CompletedTask;
        }
    }

    public Task<StoredSwap?> FindAsync(string swapId, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return Task.FromResult(_rows.GetValueOrDefault(swapId));
        }
    }

    public Task<IReadOnlyList<StoredSwap>> ListAsync(string? rotationId = null, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return Task.FromResult<IReadOnlyList<StoredSwap>>([.. _rows.Values
                .Where(s => rotationId is null || s.Swap.RotationId == rotationId)
                .OrderBy(s => s.Swap.Start)
                .ThenBy(s => s.Swap.Id, StringComparer.Ordinal)]);
        }
    }

    public Task<string> SaveAsync(SwapRequest swap, string etag, CancellationToken cancellationToken = default)
    {
        RunBeforeWrite();
        lock (_lock)
        {
            CheckLocked(swap.Id, etag);
            var saved = new StoredSwap(swap, NextVersion());
            _rows[swap.Id] = saved;
            return Task.FromResult(saved.ETag);
        }
    }

    public Task AcceptAsync(
        SwapRequest accepted, string swapETag, Override addition, string rotationETag, CancellationToken cancellationToken = default)
    {
        RunBeforeWrite();
        lock (_lock)
        {
            CheckLocked(accepted.Id, swapETag);
            rotations.CheckAndMove(accepted.RotationId, rotationETag, () =>
            {
                _rows[accepted.Id] = new StoredSwap(accepted, NextVersion());
                rotations.AddOverrideUnchecked(accepted.RotationId, addition);
            });
            return Task.CompletedTask;
        }
    }

    private void CheckLocked(string id, string etag)
    {
        if (!_rows.TryGetValue(id, out var current) || current.ETag != etag)
        {
            throw new ConcurrencyException("Swap request", id);
        }
    }

    private void RunBeforeWrite()
    {
        if (BeforeWrite.TryDequeue(out var before))
        {
            before();
        }
    }

    private string NextVersion() => Interlocked.Increment(ref _version).ToString(CultureInfo.InvariantCulture);
}
