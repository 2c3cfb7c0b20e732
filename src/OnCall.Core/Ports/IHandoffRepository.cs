using NodaTime;
using OnCall.Core.Handoffs;

namespace OnCall.Core.Ports;

/// <summary>A handoff and the version its next write must match.</summary>
public sealed record StoredHandoff(Handoff Handoff, string ETag);

public interface IHandoffRepository
{
    /// <summary>Stores the handoff unless one with its id exists; false when it did (another run or instance planned it).</summary>
    Task<bool> AddIfAbsentAsync(Handoff handoff, CancellationToken cancellationToken = default);

    Task<StoredHandoff?> FindAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>
    /// Handoffs due in [<paramref name="dueFrom"/>, <paramref name="dueBefore"/>), optionally of one rotation. Reads only the
    /// storage that holds that window, so the cost does not grow with history.
    /// </summary>
    Task<IReadOnlyList<StoredHandoff>> ListDueAsync(
        Instant dueFrom,
        Instant dueBefore,
        string? rotationId = null,
        CancellationToken cancellationToken = default);

    /// <summary>Removes a handoff that no longer happens; <see cref="Errors.ConcurrencyException"/> when the version moved.</summary>
    Task DeleteAsync(string id, string etag, CancellationToken cancellationToken = default);

    /// <summary>Replaces the handoff; <see cref="Errors.ConcurrencyException"/> when the version moved.</summary>
    Task<string> SaveAsync(Handoff handoff, string etag, CancellationToken cancellationToken = default);
}
