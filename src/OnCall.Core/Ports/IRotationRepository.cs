using OnCall.Core.Rotations;

namespace OnCall.Core.Ports;

/// <summary>A rotation with its overrides, read together, and the version its next write must match.</summary>
public sealed record RotationAggregate(Rotation Rotation, IReadOnlyList<Override> Overrides, string ETag);

public interface IRotationRepository
{
    Task<RotationAggregate?> FindAsync(string rotationId, CancellationToken cancellationToken = default);

    /// <summary>Every rotation with its overrides.</summary>
    Task<IReadOnlyList<RotationAggregate>> ListAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Creates (<paramref name="etag"/> null) or replaces the rotation; <see cref="Errors.ConcurrencyException"/> when
    /// the version moved.
    /// </summary>
    Task SaveAsync(Rotation rotation, string? etag, CancellationToken cancellationToken = default);

    /// <summary>Adds an override atomically with a version check of its rotation, so two overlapping overrides cannot both land.</summary>
    Task AddOverrideAsync(string rotationId, string etag, Override addition, CancellationToken cancellationToken = default);

    /// <summary>Removes an override; false when there was none.</summary>
    Task<bool> RemoveOverrideAsync(string rotationId, string overrideId, CancellationToken cancellationToken = default);

    /// <summary>Removes the rotation and its overrides; false when there was no rotation.</summary>
    Task<bool> DeleteAsync(string rotationId, CancellationToken cancellationToken = default);
}
