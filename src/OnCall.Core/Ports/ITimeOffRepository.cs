using NodaTime;
using OnCall.Core.TimeOff;

namespace OnCall.Core.Ports;

/// <summary>Time off, per rotation.</summary>
public interface ITimeOffRepository
{
    Task AddAsync(string rotationId, TimeOffEntry entry, CancellationToken cancellationToken = default);

    /// <summary>A rotation's time off, ordered by start; only what overlaps [rangeStart, rangeEnd) when both are given.</summary>
    Task<IReadOnlyList<TimeOffEntry>> ListAsync(
        string rotationId,
        Instant? rangeStart = null,
        Instant? rangeEnd = null,
        CancellationToken cancellationToken = default);

    /// <summary>Removes one entry; false when there was none.</summary>
    Task<bool> RemoveAsync(string rotationId, string timeOffId, CancellationToken cancellationToken = default);

    /// <summary>Removes every entry of a rotation.</summary>
    Task DeleteAllAsync(string rotationId, CancellationToken cancellationToken = default);
}
