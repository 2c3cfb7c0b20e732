using OnCall.Core.CalendarSync;

namespace OnCall.Core.Ports;

/// <summary>The Google Calendar API as the sync needs it: list events, and write many in one batch request.</summary>
public interface IGoogleCalendar
{
    /// <summary>False until credentials are configured; the sync then records that it skipped.</summary>
    bool IsConfigured { get; }

    /// <summary>Calls per batch request.</summary>
    int BatchSize { get; }

    /// <summary>
    /// One page; <see cref="SyncTokenExpiredException"/> on 410, <see cref="CalendarApiException"/> when it fails for
    /// good.
    /// </summary>
    Task<EventPage> ListAsync(string calendarId, EventQuery query, CancellationToken cancellationToken = default);

    /// <summary>One batch request holding <paramref name="writes"/> (at most <see cref="BatchSize"/>); one result per write.</summary>
    Task<IReadOnlyList<EventWriteResult>> WriteAsync(
        string calendarId,
        IReadOnlyList<EventWrite> writes,
        CancellationToken cancellationToken = default);
}
