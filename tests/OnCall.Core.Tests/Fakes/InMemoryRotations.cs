using System.Globalization;
using OnCall.Core.Errors;
using OnCall.Core.Ports;
using OnCall.Core.Rotations;

namespace OnCall.Core.Tests.Fakes;

/// <summary>
/// Rotations and their overrides in memory, versioned as the Table repository versions them: a create of an existing
/// rotation or a write naming a moved version is a <see cref="ConcurrencyException"/>; adding an override checks and
/// moves the rotation's version, removing one does not.
/// </summary>
internal sealed class InMemoryRotations : IRotationRepository
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, (Rotation Rotation, List<Override> Overrides, string ETag)> _rows = new(StringComparer.Ordinal);
    private int _version;

    /// <summary>Run, one per write, before the write is checked: another writer getting in first.</summary>
    public Queue<Action> BeforeWrite { get; } = new();

    public int Writes { get; private set; }

    public Rotation this[string id] => _rows[id].Rotation;

    public IReadOnlyList<Override> OverridesOf(string id) => [.. _rows[id].Overrides];

    public bool Contains(string id) => _rows.ContainsKey(id);

    public string Seed(Rotation rotation, params Override[] overrides)
    {
        lock (_lock)
        {
            var etag = NextVersion();
            _rows[rotation.Id] = (rotation, [.. overrides], etag);
            return etag;
        }
    }

    /// <summary>Another writer touches the rotation: its version moves.</summary>
    public void Touch(string id)
    {
        lock (_lock)
        {
            var row = _rows[id];
            _rows[id] = row with { ETag = NextVersion() };
        }
    }

    public Task<RotationAggregate?> FindAsync(string rotationId, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return Task.FromResult(_rows.TryGetValue(rotationId, out var row) ? Aggregate(row) : null);
        }
    }

    public Task<IReadOnlyList<RotationAggregate>> ListAsync(CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return Task.FromResult<IReadOnlyList<RotationAggregate>>(
                [.. _rows.Values.Select(Aggregate).OrderBy(a => a.Rotation.Id, StringComparer.Ordinal)]);
        }
    }

    public Task SaveAsync(Rotation rotation, string? etag, CancellationToken cancellationToken = default)
    {
        RunBeforeWrite();
        lock (_lock)
        {
            var exists = _rows.TryGetValue(rotation.Id, out var row);
            if (etag is null ? exists : !exists || row.ETag != etag)
            {
                throw new ConcurrencyException("Rotation", rotation.Id);
            }

            _rows[rotation.Id] = (rotation, exists ? row.Overrides : [], NextVersion());
            Writes++;
            return Task.CompletedTask;
        }
    }

    public Task AddOverrideAsync(string rotationId, string etag, Override addition, CancellationToken cancellationToken = default)
    {
        RunBeforeWrite();
        lock (_lock)
        {
            CheckAndMoveLocked(rotationId, etag);
            _rows[rotationId].Overrides.Add(addition);
            Writes++;
            return Task.CompletedTask;
        }
    }

    public Task<bool> RemoveOverrideAsync(string rotationId, string overrideId, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return Task.FromResult(_rows.TryGetValue(rotationId, out var row) && row.Overrides.RemoveAll(o => o.Id == overrideId) > 0);
        }
    }

    public Task<bool> DeleteAsync(string rotationId, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return Task.FromResult(_rows.Remove(rotationId));
        }
    }

    /// <summary>The version check (an empty merge) that swaps write beside their own rows, in one transaction.</summary>
    internal void CheckAndMove(string rotationId, string etag, Action alsoWrite)
    {
        lock (_lock)
        {
            if (!_rows.TryGetValue(rotationId, out var row) || row.ETag != etag)
            {
                throw new ConcurrencyException("Rotation", rotationId);
            }

            alsoWrite();
            _rows[rotationId] = row with { ETag = NextVersion() };
        }
    }

    internal void AddOverrideUnchecked(string rotationId, Override addition)
    {
        lock (_lock)
        {
            _rows[rotationId].Overrides.Add(addition);
        }
    }

    private void CheckAndMoveLocked(string rotationId, string etag)
    {
        if (!_rows.TryGetValue(rotationId, out var row) || row.ETag != etag)
        {
            throw new ConcurrencyException("Rotation", rotationId);
        }

        _rows[rotationId] = row with { ETag = NextVersion() };
    }

    private void RunBeforeWrite()
    {
        if (BeforeWrite.TryDequeue(out var before))
        {
            before();
        }
    }

    private static RotationAggregate Aggregate((Rotation Rotation, List<Override> Overrides, string ETag) row) =>
        new(row.Rotation, [.. row.Overrides], row.ETag);

    private string NextVersion() => Interlocked.Increment(ref _version).ToString(CultureInfo.InvariantCulture);
}
