using OnCall.Core.TimeOff;

namespace OnCall.Core.Ports;

/// <summary>A coverage notice and the version its next write must match.</summary>
public sealed record StoredCoverageNotice(CoverageNotice Notice, string ETag);

/// <summary>Coverage notice state, one partition per rotation, one row per problem.</summary>
public interface ICoverageNoticeRepository
{
    /// <summary>A rotation's notices: the problems not yet ended, which each check prunes.</summary>
    Task<IReadOnlyList<StoredCoverageNotice>> ListAsync(string rotationId, CancellationToken cancellationToken = default);

    Task<StoredCoverageNotice?> FindAsync(string rotationId, string id, CancellationToken cancellationToken = default);

    /// <summary>Stores the notice unless one with its id exists: its ETag, or null when another run or instance stored it first.</summary>
    Task<string?> AddIfAbsentAsync(CoverageNotice notice, CancellationToken cancellationToken = default);

    /// <summary>Replaces the notice; <see cref="Errors.ConcurrencyException"/> when the version moved.</summary>
    Task<string> SaveAsync(CoverageNotice notice, string etag, CancellationToken cancellationToken = default);

    /// <summary>Removes one notice; <see cref="Errors.ConcurrencyException"/> when the version moved.</summary>
    Task DeleteAsync(string rotationId, string id, string etag, CancellationToken cancellationToken = default);

    /// <summary>Removes every notice of a rotation, for its deletion.</summary>
    Task DeleteAllAsync(string rotationId, CancellationToken cancellationToken = default);
}
