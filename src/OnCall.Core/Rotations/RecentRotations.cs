using System.Collections.Concurrent;
using NodaTime;
using OnCall.Core.Ports;
using OnCall.Core.Time;

namespace OnCall.Core.Rotations;

/// <summary>
/// Rotations read in the last <see cref="MaxAge"/>, for reads that may be a little stale: the commander of a new
/// incident, whose webhook should not wait for a storage read. A write to a rotation through this process forgets it at
/// once (<see cref="Forget"/>); a write elsewhere shows here within <see cref="MaxAge"/>.
/// </summary>
public sealed class RecentRotations(IRotationRepository repository, TimeProvider timeProvider)
{
    public static readonly Duration MaxAge = Duration.FromSeconds(30);

    // Bounded by the number of rotations, which is small; an unknown id is remembered as null, as briefly.
    private readonly ConcurrentDictionary<string, (RotationAggregate? Aggregate, Instant ReadAt)> _recent = new(StringComparer.Ordinal);

    /// <summary>The rotation as read at most <see cref="MaxAge"/> ago; null when it did not exist then.</summary>
    public async Task<RotationAggregate?> FindAsync(string rotationId, CancellationToken cancellationToken = default)
    {
        var now = timeProvider.GetCurrentInstant();
        if (_recent.TryGetValue(rotationId, out var known) && now - known.ReadAt < MaxAge)
        {
            return known.Aggregate;
        }

        var aggregate = await repository.FindAsync(rotationId, cancellationToken);
        if (_recent.Count < MaxEntries || _recent.ContainsKey(rotationId))
        {
            _recent[rotationId] = (aggregate, now);
        }

        return aggregate;
    }

    /// <summary>Forgets a rotation this process has just written (or deleted), so its next read is fresh.</summary>
    public void Forget(string rotationId) => _recent.TryRemove(rotationId, out _);

    // Names that are not rotations arrive with alerts; past this many, reads are not remembered.
    private const int MaxEntries = 1000;
}
