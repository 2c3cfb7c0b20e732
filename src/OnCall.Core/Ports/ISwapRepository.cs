using OnCall.Core.Rotations;
using OnCall.Core.Swaps;

namespace OnCall.Core.Ports;

/// <summary>A swap request as stored, with the version its next write must match.</summary>
public sealed record StoredSwap(SwapRequest Swap, string ETag);

/// <summary>
/// Swap requests, kept beside their rotation so that turning one into an override is a single atomic write.
/// Every write fails with <see cref="Errors.ConcurrencyException"/> when a version it names has moved.
/// </summary>
public interface ISwapRepository
{
    /// <summary>
    /// Stores a new request, checking that the rotation is still at <paramref name="rotationETag"/>, so two overlapping
    /// requests cannot both land.
    /// </summary>
    Task AddAsync(SwapRequest swap, string rotationETag, CancellationToken cancellationToken = default);

    Task<StoredSwap?> FindAsync(string swapId, CancellationToken cancellationToken = default);

    /// <summary>The requests of one rotation, or of all when <paramref name="rotationId"/> is null, ordered by start.</summary>
    Task<IReadOnlyList<StoredSwap>> ListAsync(string? rotationId = null, CancellationToken cancellationToken = default);

    /// <summary>Replaces the request if it is still at <paramref name="etag"/>; returns its new version.</summary>
    Task<string> SaveAsync(SwapRequest swap, string etag, CancellationToken cancellationToken = default);

    /// <summary>
    /// In one transaction: the request (status accepted, still at <paramref name="swapETag"/>), the override it makes,
    /// and a version check of the rotation (still at <paramref name="rotationETag"/>), so the override lands once and
    /// never beside an overlapping one.
    /// </summary>
    Task AcceptAsync(
        SwapRequest accepted,
        string swapETag,
        Override addition,
        string rotationETag,
        CancellationToken cancellationToken = default);
}
