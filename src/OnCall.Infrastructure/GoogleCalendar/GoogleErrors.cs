using System.Net;
using System.Text.Json;
using OnCall.Core.CalendarSync;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace OnCall.Infrastructure.GoogleCalendar;

/// <summary>
/// Google's errors: its JSON error bodies (<c>{"error": {"code", "message", "errors": [{"domain", "reason", "message"}]}}</c>),
/// and a call that failed before any answer.
/// </summary>
internal static class GoogleErrors
{
    private static readonly HashSet<string> RateLimitReasons =
        new(StringComparer.Ordinal) { "rateLimitExceeded", "userRateLimitExceeded", "quotaExceeded" };

    /// <summary>The first error's reason (and domain), e.g. <c>rateLimitExceeded</c>; null when the body has none.</summary>
    public static (string? Reason, string? Domain) Reason(string? body)
    {
        if (string.IsNullOrWhiteSpace(body) || body.Length > 64 * 1024)
        {
            return (null, null);
        }

        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("error", out var error)
                && error.ValueKind == JsonValueKind.Object
                && error.TryGetProperty("errors", out var errors)
                && errors.ValueKind == JsonValueKind.Array
                && errors.GetArrayLength() > 0)
            {
                var first = errors[0];
                return (Text(first, "reason"), Text(first, "domain"));
            }
        }
        catch (JsonException)
        {
        }

        return (null, null);
    }

    /// <summary>
    /// Worth another try later: 429, any 5xx, and a 403 whose reason is a rate limit. Any other 403 (no access to the
    /// calendar) stays a 403 however often it is sent.
    /// </summary>
    public static bool IsRetryable(int status, string? body)
    {
        if (status == (int)HttpStatusCode.TooManyRequests || status >= 500)
        {
            return true;
        }

        if (status != (int)HttpStatusCode.Forbidden)
        {
            return false;
        }

        var (reason, domain) = Reason(body);
        return (reason is not null && RateLimitReasons.Contains(reason)) || domain == "usageLimits";
    }

    /// <summary>For the resilience pipeline: a whole request answered 403 rate limited.</summary>
    public static async ValueTask<bool> IsRateLimited403Async(HttpResponseMessage response)
    {
        if (response.StatusCode != HttpStatusCode.Forbidden)
        {
            return false;
        }

        // Buffered, so the caller can still read the body after the pipeline gives up.
        await response.Content.LoadIntoBufferAsync();
        return IsRetryable(403, await response.Content.ReadAsStringAsync());
    }

    public static string Describe(int status, string? body) =>
        Reason(body) is ({ } reason, _) ? $"HTTP {status} {reason}" : $"HTTP {status}";

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    /// <summary>
    /// Sends through the outgoing-HTTP pipeline; what fails after its timeouts and retries becomes a
    /// <see cref="CalendarApiException"/> naming <paramref name="call"/> and what went wrong, never the URL or a header.
    /// </summary>
    public static async Task<HttpResponseMessage> SendAsync(
        HttpClient http,
        HttpRequestMessage request,
        string call,
        CancellationToken cancellationToken)
    {
        try
        {
            return await http.SendAsync(request, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e) when (e is TimeoutRejectedException or OperationCanceledException)
        {
            throw new CalendarApiException($"{call}: timed out");
        }
        catch (BrokenCircuitException)
        {
            throw new CalendarApiException($"{call}: circuit open after repeated failures");
        }
        catch (HttpRequestException e)
        {
            throw new CalendarApiException($"{call}: request failed ({e.HttpRequestError})");
        }
    }
}
