using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OnCall.Core.CalendarSync;
using OnCall.Core.Ports;

namespace OnCall.Infrastructure.GoogleCalendar;

/// <summary>
/// Thin typed calls of the Calendar v3 API (<c>events.list</c>, and <c>events.insert/patch/delete</c> inside Google's
/// multipart batch), because <c>Google.Apis.Calendar.v3</c> cannot be restored here. Whole requests are retried by the
/// outgoing-HTTP pipeline (429, 5xx and 403 rate limits, honouring <c>Retry-After</c>); the calls inside a batch answer
/// one by one, and the sync retries those. Logs counts and statuses, never tokens or keys.
/// </summary>
public sealed class GoogleCalendarClient(
    HttpClient http,
    GoogleAccessTokens tokens,
    IOptions<GoogleCalendarOptions> options,
    ILogger<GoogleCalendarClient> logger)
    : IGoogleCalendar
{
    // Google's largest page (the default is 250): the sync after one that wrote reads its own writes back in one
    // request, so a sync with nothing to do is one request even then, for up to 2,500 writes.
    private const int PageSize = 2500;

    public bool IsConfigured => options.Value.IsConfigured;

    public int BatchSize => options.Value.BatchSize;

    public async Task<EventPage> ListAsync(string calendarId, EventQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);

        // Google refuses a sync token beside filters (privateExtendedProperty, timeMin …), so the incremental read
        // gets every change in the calendar and the sync keeps ours; showDeleted must match the first read.
        var parameters = new List<string> { $"maxResults={PageSize}", "showDeleted=true" };
        parameters.Add(query.SyncToken is { } syncToken
            ? $"syncToken={Uri.EscapeDataString(syncToken)}"
            : $"privateExtendedProperty={Uri.EscapeDataString($"{GoogleEventJson.RotationProperty}={query.RotationId}")}");
        if (query.PageToken is { } pageToken)
        {
            parameters.Add($"pageToken={Uri.EscapeDataString(pageToken)}");
        }

        using var request = new HttpRequestMessage(HttpMethod.Get, $"{EventsPath(calendarId)}?{string.Join('&', parameters)}");
        using var response = await SendAsync(request, "events.list", cancellationToken);
        if (response.StatusCode == HttpStatusCode.Gone)
        {
            throw new SyncTokenExpiredException();
        }

        if (!response.IsSuccessStatusCode)
        {
            var error = await response.Content.ReadAsStringAsync(cancellationToken);
            throw new CalendarApiException($"events.list: {GoogleErrors.Describe((int)response.StatusCode, error)}");
        }

        // The body is read whole within the pipeline's timeouts and retries, then parsed an event at a time.
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        return await GoogleEventPage.ReadAsync(body, cancellationToken: cancellationToken);
    }

    public async Task<IReadOnlyList<EventWriteResult>> WriteAsync(
        string calendarId,
        IReadOnlyList<EventWrite> writes,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(writes);
        if (writes.Count == 0)
        {
            return [];
        }

        var boundary = "batch_oncall_" + Guid.NewGuid().ToString("N");
        using var request = new HttpRequestMessage(HttpMethod.Post, "batch/calendar/v3")
        {
            Content = GoogleBatch.Request(boundary, writes.Select(w => Call(calendarId, w)).ToList()),
        };
        using var response = await SendAsync(request, "batch", cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new CalendarApiException($"batch: {GoogleErrors.Describe((int)response.StatusCode, body)}");
        }

        var answers = GoogleBatch.Responses(response.Content.Headers.ContentType, body);
        var results = new List<EventWriteResult>(writes.Count);
        for (var i = 0; i < writes.Count; i++)
        {
            results.Add(answers.TryGetValue(i, out var answer)
                ? Outcome(writes[i], answer)
                : new EventWriteResult(writes[i], EventWriteOutcome.Retryable, "no answer in the batch response"));
        }

        logger.LogInformation(
            "Google Calendar batch of {Calls} calls: {Done} done, {Retryable} to retry, {Failed} failed",
            writes.Count,
            results.Count(r => r.Outcome is EventWriteOutcome.Done or EventWriteOutcome.Gone or EventWriteOutcome.AlreadyExists),
            results.Count(r => r.Outcome == EventWriteOutcome.Retryable),
            results.Count(r => r.Outcome == EventWriteOutcome.Failed));
        return results;
    }

    private GoogleBatch.Call Call(string calendarId, EventWrite write)
    {
        var sendUpdates = $"sendUpdates={Uri.EscapeDataString(options.Value.SendUpdates)}";
        var events = new Uri(http.BaseAddress!, EventsPath(calendarId)).AbsolutePath;
        return write.Kind switch
        {
            EventWriteKind.Insert =>
                new("POST", $"{events}?{sendUpdates}", GoogleEventJson.Body(write.Event!, withId: true).ToJsonString()),
            EventWriteKind.Patch =>
                new(
                    "PATCH",
                    $"{events}/{Uri.EscapeDataString(write.EventId)}?{sendUpdates}",
                    GoogleEventJson.Body(write.Event!, withId: false).ToJsonString()),
            _ => new("DELETE", $"{events}/{Uri.EscapeDataString(write.EventId)}?{sendUpdates}", null),
        };
    }

    private static EventWriteResult Outcome(EventWrite write, GoogleBatch.Answer answer)
    {
        var status = answer.Status;
        if (status is >= 200 and < 300)
        {
            return new EventWriteResult(write, EventWriteOutcome.Done);
        }

        var error = GoogleErrors.Describe(status, answer.Body);
        if (status == (int)HttpStatusCode.Conflict && write.Kind == EventWriteKind.Insert)
        {
            return new EventWriteResult(write, EventWriteOutcome.AlreadyExists, error);
        }

        if (status is (int)HttpStatusCode.NotFound or (int)HttpStatusCode.Gone)
        {
            return new EventWriteResult(write, EventWriteOutcome.Gone, error);
        }

        return GoogleErrors.IsRetryable(status, answer.Body)
            ? new EventWriteResult(write, EventWriteOutcome.Retryable, error, answer.RetryAfter)
            : new EventWriteResult(write, EventWriteOutcome.Failed, error);
    }

    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, string call, CancellationToken cancellationToken)
    {
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await tokens.GetAsync(cancellationToken));
        return await GoogleErrors.SendAsync(http, request, call, cancellationToken);
    }

    private static string EventsPath(string calendarId) => $"calendar/v3/calendars/{Uri.EscapeDataString(calendarId)}/events";
}

/// <summary>
/// Google's batch format: a <c>multipart/mixed</c> request whose parts are <c>application/http</c> requests, each with a
/// <c>Content-ID</c>; the answer is <c>multipart/mixed</c> too, each part an HTTP response whose <c>Content-ID</c> is
/// <c>response-</c> and the request's.
/// </summary>
internal static class GoogleBatch
{
    public sealed record Call(string Method, string PathAndQuery, string? JsonBody);

    public sealed record Answer(int Status, string Body, TimeSpan? RetryAfter);

    public static HttpContent Request(string boundary, IReadOnlyList<Call> calls)
    {
        var text = new StringBuilder();
        for (var i = 0; i < calls.Count; i++)
        {
            var call = calls[i];
            text.Append("--").Append(boundary).Append("\r\n")
                .Append("Content-Type: application/http\r\n")
                .Append(CultureInfo.InvariantCulture, $"Content-ID: <item-{i}>\r\n\r\n")
                .Append(CultureInfo.InvariantCulture, $"{call.Method} {call.PathAndQuery} HTTP/1.1\r\n");
            if (call.JsonBody is { } json)
            {
                text.Append("Content-Type: application/json; charset=UTF-8\r\n\r\n").Append(json).Append("\r\n");
            }
            else
            {
                text.Append("\r\n");
            }
        }

        text.Append("--").Append(boundary).Append("--\r\n");
        var content = new StringContent(text.ToString(), Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("multipart/mixed")
        {
            Parameters = { new NameValueHeaderValue("boundary", boundary) },
        };
        return content;
    }

    /// <summary>The answers by the index of their call; a part without a readable <c>Content-ID</c> is left out.</summary>
    public static Dictionary<int, Answer> Responses(MediaTypeHeaderValue? contentType, string body)
    {
        var boundary = contentType?.Parameters
            .FirstOrDefault(p => p.Name.Equals("boundary", StringComparison.OrdinalIgnoreCase))?.Value?.Trim('"')
            ?? throw new CalendarApiException("batch: answer is not multipart");
        var answers = new Dictionary<int, Answer>();
        foreach (var rawPart in body.Replace("\r\n", "\n", StringComparison.Ordinal).Split("--" + boundary))
        {
            var part = rawPart.TrimStart('\n');
            if (part.Length == 0 || part.StartsWith("--", StringComparison.Ordinal))
            {
                continue;
            }

            var (partHeaders, http) = Split(part);
            var id = Header(partHeaders, "Content-ID")?.Trim('<', '>');
            const string Prefix = "response-item-";
            if (id is null || !id.StartsWith(Prefix, StringComparison.Ordinal)
                || !int.TryParse(id.AsSpan(Prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var index))
            {
                continue;
            }

            var (head, payload) = Split(http);
            var statusLine = head.Split('\n', 2)[0].Split(' ');
            if (statusLine.Length < 2 || !int.TryParse(statusLine[1], NumberStyles.None, CultureInfo.InvariantCulture, out var status))
            {
                continue;
            }

            TimeSpan? retryAfter = Header(head, "Retry-After") is { } seconds
                && int.TryParse(seconds, NumberStyles.None, CultureInfo.InvariantCulture, out var s)
                ? TimeSpan.FromSeconds(s)
                : null;
            answers[index] = new Answer(status, payload.TrimEnd('\n'), retryAfter);
        }

        return answers;
    }

    private static (string Head, string Tail) Split(string text)
    {
        var end = text.IndexOf("\n\n", StringComparison.Ordinal);
        return end < 0 ? (text, "") : (text[..end], text[(end + 2)..]);
    }

    private static string? Header(string head, string name) =>
        head.Split('\n')
            .Select(line => line.Split(':', 2))
            .Where(pair => pair.Length == 2 && pair[0].Trim().Equals(name, StringComparison.OrdinalIgnoreCase))
            .Select(pair => pair[1].Trim())
            .FirstOrDefault();
}
