using OnCall.Core.Incidents;

namespace OnCall.Core.Ports;

/// <summary>An incident and the version its next write must match.</summary>
public sealed record StoredIncident(Incident Incident, string ETag);

public interface IIncidentRepository
{
    /// <summary>
    /// Stores <paramref name="incident"/> as the open incident of its (source, dedup key), with its first timeline entry,
    /// atomically and only if no incident of that key is open: false when one is (another request opened it first).
    /// </summary>
    Task<bool> OpenAsync(Incident incident, TimelineEntry first, CancellationToken cancellationToken = default);

    /// <summary>Lists a not-closed incident among the active ones, if it is not already (idempotent).</summary>
    Task EnsureListedAsync(Incident incident, CancellationToken cancellationToken = default);

    /// <summary>The id of the open incident of (source, dedup key), if any.</summary>
    Task<string?> FindOpenIdAsync(string source, string dedupKey, CancellationToken cancellationToken = default);

    /// <summary>The id of the incident of (source, dedup key) opened last, open or not.</summary>
    Task<string?> FindLastIdAsync(string source, string dedupKey, CancellationToken cancellationToken = default);

    Task<StoredIncident?> FindAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>Adds a timeline entry without touching the incident, so concurrent duplicates never contend.</summary>
    Task AppendAsync(string id, TimelineEntry entry, CancellationToken cancellationToken = default);

    /// <summary>
    /// Replaces the incident and adds <paramref name="entry"/> in one transaction; when the incident is closed, its
    /// key is released at the same time, so the next alert of that key opens a new incident.
    /// <see cref="Errors.ConcurrencyException"/> when the version moved. Returns the new version.
    /// </summary>
    Task<string> SaveAsync(Incident incident, string etag, TimelineEntry? entry = null, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<TimelineEntry>> TimelineAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>
    /// Every incident, optionally only those in <paramref name="status"/>, newest first. Without a status, or for
    /// resolved and canceled, this reads the whole history; prefer <see cref="ListActiveAsync"/>.
    /// </summary>
    Task<IReadOnlyList<Incident>> ListAsync(IncidentStatus? status = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// The incidents not resolved or canceled, of one rotation or of all, newest first. Reads only those (they are
    /// indexed), so its cost does not grow with history.
    /// </summary>
    Task<IReadOnlyList<Incident>> ListActiveAsync(string? rotationId = null, CancellationToken cancellationToken = default);
}
