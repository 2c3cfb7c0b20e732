using System.Globalization;
using OnCall.Core.CalendarSync;
using OnCall.Core.Errors;
using OnCall.Core.Ports;

namespace OnCall.Core.Tests.Fakes;

/// <summary>
/// The sync's state and mirrored events in memory, as the Table store keeps them: the state's ETag checked on save (a
/// create of an existing state or a moved version is a <see cref="ConcurrencyException"/>), events upserted as read.
/// </summary>
internal sealed class InMemoryCalendarSyncStore : ICalendarSyncStore
{
    private readonly Dictionary<string, CalendarSyncState> _states = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Dictionary<string, MirroredEvent>> _events = new(StringComparer.Ordinal);
    private int _version;

    /// <summary>Run, one per save, before the save is checked: another instance recording first.</summary>
    public Queue<Action> BeforeSave { get; } = new();

    public CalendarSyncState? this[string rotationId] => _states.GetValueOrDefault(rotationId);

    public IReadOnlyDictionary<string, MirroredEvent> EventsOf(string rotationId) =>
        _events.TryGetValue(rotationId, out var events) ? new Dictionary<string, MirroredEvent>(events) : [];

    /// <summary>Another instance records a run: the state's version moves.</summary>
    public void Touch(string rotationId) => _states[rotationId] = _states[rotationId] with { ETag = NextVersion() };

    public Task<CalendarSyncState?> GetAsync(string rotationId, CancellationToken cancellationToken = default) =>
        Task.FromResult(_states.GetValueOrDefault(rotationId));

    public Task<IReadOnlyList<CalendarSyncState>> ListAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<CalendarSyncState>>([.. _states.Values]);

    public Task<CalendarSyncState> SaveAsync(CalendarSyncState state, CancellationToken cancellationToken = default)
    {
        if (BeforeSave.TryDequeue(out var before))
        {
            before();
        }

        var current = _states.GetValueOrDefault(state.RotationId);
        if (state.ETag is null ? current is not null : current?.ETag != state.ETag)
        {
            throw new ConcurrencyException("Calendar sync", state.RotationId);
        }

        var saved = state with { ETag = NextVersion() };
        _states[state.RotationId] = saved;
        return Task.FromResult(saved);
    }

    public IAsyncEnumerable<MirroredEvent> ReadEventsAsync(string rotationId, CancellationToken cancellationToken = default) =>
        EventsOf(rotationId).Values.ToAsyncEnumerable();

    /// <summary>How many events were saved, over every call.</summary>
    public int EventsSaved { get; private set; }

    public Task SaveEventsAsync(string rotationId, IReadOnlyCollection<MirroredEvent> events, CancellationToken cancellationToken = default)
    {
        EventsSaved += events.Count;
        if (!_events.TryGetValue(rotationId, out var known))
        {
            _events[rotationId] = known = new Dictionary<string, MirroredEvent>(StringComparer.Ordinal);
        }

        foreach (var e in events)
        {
            known[e.Id] = e;
        }

        return Task.CompletedTask;
    }

    public Task ForgetEventsAsync(string rotationId, IReadOnlyCollection<string> eventIds, CancellationToken cancellationToken = default)
    {
        foreach (var id in eventIds)
        {
            _events.GetValueOrDefault(rotationId)?.Remove(id);
        }

        return Task.CompletedTask;
    }

    public Task ClearEventsAsync(string rotationId, CancellationToken cancellationToken = default)
    {
        _events.Remove(rotationId);
        return Task.CompletedTask;
    }

    public Task DeleteAsync(string rotationId, CancellationToken cancellationToken = default)
    {
        _states.Remove(rotationId);
        _events.Remove(rotationId);
        return Task.CompletedTask;
    }

    private string NextVersion() => Interlocked.Increment(ref _version).ToString(CultureInfo.InvariantCulture);
}

/// <summary>
/// Google Calendar in memory: calendars of events (ours carry the rotation as a private property), deleted events kept
/// as cancelled, a change counter behind the list tokens, inserts of an existing id answered 409 and writes to a missing
/// event 404, as the API answers them. Scripted outcomes stand in for rate limits and failures.
/// </summary>
internal sealed class InMemoryGoogleCalendar : IGoogleCalendar
{
    private readonly Dictionary<string, Dictionary<string, Stored>> _calendars = new(StringComparer.Ordinal);
    private readonly HashSet<string> _expired = new(StringComparer.Ordinal);
    private long _changes;

    public bool IsConfigured { get; set; } = true;

    public int BatchSize { get; set; } = 50;

    /// <summary>Events per page of a list.</summary>
    public int PageSize { get; set; } = 100;

    /// <summary>Outcomes for the next calls of batches, in order, instead of doing them.</summary>
    public Queue<(EventWriteOutcome Outcome, string? Error, TimeSpan? RetryAfter)> Scripted { get; } = new();

    /// <summary>Every call of every batch is answered this way while it is set (a lasting rate limit).</summary>
    public EventWriteOutcome? Always { get; set; }

    /// <summary>Listing these calendars fails with the exception.</summary>
    public Dictionary<string, Exception> ListFailures { get; } = new(StringComparer.Ordinal);

    public int ListCalls { get; private set; }

    public int WriteCalls { get; private set; }

    /// <summary>The events not deleted, by id.</summary>
    public IReadOnlyDictionary<string, EventContent> Live(string calendarId) =>
        Calendar(calendarId).Values.Where(e => !e.Cancelled).ToDictionary(e => e.Id, e => e.Content, StringComparer.Ordinal);

    /// <summary>Someone edits or deletes an event in the calendar app.</summary>
    public void ByHand(string calendarId, string id, Func<EventContent, EventContent>? edit = null)
    {
        var e = Calendar(calendarId)[id];
        Calendar(calendarId)[id] = edit is null
            ? e with { Cancelled = true, Change = ++_changes }
            : e with { Content = edit(e.Content), Change = ++_changes };
    }

    /// <summary>Google drops an event for good: a deleted one is kept as cancelled only for a while.</summary>
    public void Purge(string calendarId, string id) => Calendar(calendarId).Remove(id);

    /// <summary>An event someone created (no rotation property), or one of ours from an earlier configuration.</summary>
    public void Add(string calendarId, string id, string? rotationId, EventContent content) =>
        Calendar(calendarId)[id] = new Stored(id, rotationId, content, false, ++_changes);

    /// <summary>Every list token handed out so far has expired (410).</summary>
    public void ExpireTokens()
    {
        for (var i = 0; i <= _changes; i++)
        {
            _expired.Add(Token(i));
        }
    }

    public Task<EventPage> ListAsync(string calendarId, EventQuery query, CancellationToken cancellationToken = default)
    {
        ListCalls++;
        if (ListFailures.TryGetValue(calendarId, out var failure))
        {
            throw failure;
        }

        if (query.SyncToken is { } token && _expired.Contains(token))
        {
            throw new SyncTokenExpiredException();
        }

        var since = query.SyncToken is null ? -1 : long.Parse(query.SyncToken[1..], CultureInfo.InvariantCulture);
        var matching = Calendar(calendarId).Values
            .Where(e => query.SyncToken is null ? e.RotationId == query.RotationId : e.Change > since)
            .OrderBy(e => e.Id, StringComparer.Ordinal)
            .ToList();
        var offset = query.PageToken is null ? 0 : int.Parse(query.PageToken, CultureInfo.InvariantCulture);
        var page = matching.Skip(offset).Take(PageSize)
            .Select(e => new RemoteEvent(e.Id, e.Cancelled, e.RotationId, e.Cancelled ? null : e.Content))
            .ToList();
        var more = offset + PageSize < matching.Count;
        return Task.FromResult(new EventPage(
            page,
            more ? (offset + PageSize).ToString(CultureInfo.InvariantCulture) : null,
            more ? null : Token(_changes)));
    }

    public Task<IReadOnlyList<EventWriteResult>> WriteAsync(
        string calendarId, IReadOnlyList<EventWrite> writes, CancellationToken cancellationToken = default)
    {
        WriteCalls++;
        if (writes.Count > BatchSize)
        {
            throw new InvalidOperationException($"{writes.Count} calls in one batch; at most {BatchSize}.");
        }

        return Task.FromResult<IReadOnlyList<EventWriteResult>>([.. writes.Select(w => Write(calendarId, w))]);
    }

    private EventWriteResult Write(string calendarId, EventWrite write)
    {
        if (Always is { } always)
        {
            return new EventWriteResult(write, always, "rateLimitExceeded");
        }

        if (Scripted.TryDequeue(out var scripted))
        {
            return new EventWriteResult(write, scripted.Outcome, scripted.Error, scripted.RetryAfter);
        }

        var events = Calendar(calendarId);
        var existing = events.GetValueOrDefault(write.EventId);
        switch (write.Kind)
        {
            case EventWriteKind.Insert when existing is not null:
                return new EventWriteResult(write, EventWriteOutcome.AlreadyExists, "409 duplicate");
            case EventWriteKind.Insert:
            case EventWriteKind.Patch when existing is not null:
                events[write.EventId] = new Stored(write.EventId, write.Event!.RotationId, write.Event.Content, false, ++_changes);
                return new EventWriteResult(write, EventWriteOutcome.Done);
            case EventWriteKind.Delete when existing is { Cancelled: false }:
                events[write.EventId] = existing with { Cancelled = true, Change = ++_changes };
                return new EventWriteResult(write, EventWriteOutcome.Done);
            default:
                return new EventWriteResult(write, EventWriteOutcome.Gone, "404 not found");
        }
    }

    private Dictionary<string, Stored> Calendar(string calendarId)
    {
        if (!_calendars.TryGetValue(calendarId, out var events))
        {
            _calendars[calendarId] = events = new Dictionary<string, Stored>(StringComparer.Ordinal);
        }

        return events;
    }

    private static string Token(long change) => string.Create(CultureInfo.InvariantCulture, $"t{change}");

    private sealed record Stored(string Id, string? RotationId, EventContent Content, bool Cancelled, long Change);
}
