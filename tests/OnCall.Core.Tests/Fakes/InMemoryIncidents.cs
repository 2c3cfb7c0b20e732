using System.Globalization;
using OnCall.Core.Errors;
using OnCall.Core.Incidents;
using OnCall.Core.Ports;

namespace OnCall.Core.Tests.Fakes;

/// <summary>
/// Incidents in memory, as the Table repository keeps them: an open pointer and a last pointer per (source, key), an
/// ETag checked on every save (a moved or missing version is a <see cref="ConcurrencyException"/>), the key released when
/// a save closes the incident, and an active marker per incident not closed.
/// </summary>
internal sealed class InMemoryIncidents : IIncidentRepository
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, StoredIncident> _incidents = new(StringComparer.Ordinal);
    private readonly Dictionary<(string, string), string> _open = [];
    private readonly Dictionary<(string, string), string> _last = [];
    private readonly Dictionary<string, List<TimelineEntry>> _timelines = new(StringComparer.Ordinal);
    private readonly HashSet<string> _listed = new(StringComparer.Ordinal);
    private int _version;

    /// <summary>Run, one per save, before the save is checked: another writer getting in first, or storage failing.</summary>
    public Queue<Action> BeforeSave { get; } = new();

    /// <summary>When set, listing the active incidents fails with it (storage down).</summary>
    public Exception? ListFailure { get; set; }

    public int Saves { get; private set; }

    public int EnsureListedCalls { get; private set; }

    public Incident this[string id] => _incidents[id].Incident;

    public IReadOnlyList<TimelineEntry> Timeline(string id) => _timelines.TryGetValue(id, out var entries) ? [.. entries] : [];

    public bool IsListed(string id) => _listed.Contains(id);

    /// <summary>Stores an incident as it would be after its opening (and its key, while it is not closed).</summary>
    public string Seed(Incident incident)
    {
        lock (_lock)
        {
            var etag = NextVersion();
            _incidents[incident.Id] = new StoredIncident(incident, etag);
            _last[(incident.Source, incident.DedupKey)] = incident.Id;
            if (!incident.IsClosed)
            {
                _open[(incident.Source, incident.DedupKey)] = incident.Id;
                _listed.Add(incident.Id);
            }

            return etag;
        }
    }

    /// <summary>Another writer changes the incident: a save that read it before now fails.</summary>
    public void ChangeBehindTheScenes(string id, Func<Incident, Incident> change)
    {
        lock (_lock)
        {
            var stored = _incidents[id];
            _incidents[id] = new StoredIncident(change(stored.Incident), NextVersion());
        }
    }

    public Task<bool> OpenAsync(Incident incident, TimelineEntry first, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            var key = (incident.Source, incident.DedupKey);
            if (_open.ContainsKey(key))
            {
                return Task.FromResult(false);
            }

            _open[key] = incident.Id;
            _last[key] = incident.Id;
            _incidents[incident.Id] = new StoredIncident(incident, NextVersion());
            _timelines[incident.Id] = [first];
            _listed.Add(incident.Id);
            return Task.FromResult(true);
        }
    }

    public Task EnsureListedAsync(Incident incident, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            EnsureListedCalls++;
            _listed.Add(incident.Id);
            return Task.CompletedTask;
        }
    }

    public Task<string?> FindOpenIdAsync(string source, string dedupKey, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return Task.FromResult(_open.GetValueOrDefault((source, dedupKey)));
        }
    }

    public Task<string?> FindLastIdAsync(string source, string dedupKey, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return Task.FromResult(_last.GetValueOrDefault((source, dedupKey)));
        }
    }

    public Task<StoredIncident?> FindAsync(string id, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return Task.FromResult(_incidents.GetValueOrDefault(id));
        }
    }

    public Task AppendAsync(string id, TimelineEntry entry, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            AppendLocked(id, entry);
            return Task.CompletedTask;
        }
    }

    public Task<string> SaveAsync(
        Incident incident, string etag, TimelineEntry? entry = null, CancellationToken cancellationToken = default)
    {
        if (BeforeSave.TryDequeue(out var before))
        {
            before();
        }

        lock (_lock)
        {
            if (!_incidents.TryGetValue(incident.Id, out var current) || current.ETag != etag)
            {
                throw new ConcurrencyException("Incident", incident.Id);
            }

            var saved = new StoredIncident(incident, NextVersion());
            _incidents[incident.Id] = saved;
            Saves++;
            if (entry is not null)
            {
                AppendLocked(incident.Id, entry);
            }

            if (incident.IsClosed)
            {
                var key = (incident.Source, incident.DedupKey);
                if (_open.GetValueOrDefault(key) == incident.Id)
                {
                    _open.Remove(key);
                }

                _listed.Remove(incident.Id);
            }

            return Task.FromResult(saved.ETag);
        }
    }

    public Task<IReadOnlyList<TimelineEntry>> TimelineAsync(string id, CancellationToken cancellationToken = default) =>
        Task.FromResult(Timeline(id));

    public Task<IReadOnlyList<Incident>> ListAsync(IncidentStatus? status = null, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return Task.FromResult(NewestFirst(_incidents.Values.Select(s => s.Incident).Where(i => status is null || i.Status == status)));
        }
    }

    public Task<IReadOnlyList<Incident>> ListActiveAsync(string? rotationId = null, CancellationToken cancellationToken = default)
    {
        if (ListFailure is not null)
        {
            throw ListFailure;
        }

        lock (_lock)
        {
            return Task.FromResult(NewestFirst(_listed
                .Select(id => _incidents.GetValueOrDefault(id)?.Incident)
                .OfType<Incident>()
                .Where(i => !i.IsClosed && (rotationId is null || i.RotationId == rotationId))));
        }
    }

    private void AppendLocked(string id, TimelineEntry entry)
    {
        if (!_timelines.TryGetValue(id, out var entries))
        {
            _timelines[id] = entries = [];
        }

        entries.Add(entry);
    }

    private static IReadOnlyList<Incident> NewestFirst(IEnumerable<Incident> incidents) =>
        [.. incidents.OrderByDescending(i => i.OpenedAt).ThenBy(i => i.Id, StringComparer.Ordinal)];

    private string NextVersion() => Interlocked.Increment(ref _version).ToString(CultureInfo.InvariantCulture);
}
