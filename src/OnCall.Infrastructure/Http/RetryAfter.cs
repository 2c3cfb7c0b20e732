using System.Net.Http.Headers;

namespace OnCall.Infrastructure.Http;

/// <summary>Reads a response's <c>Retry-After</c> (RFC 9110 §10.2.3): delta-seconds or an HTTP-date.</summary>
public static class RetryAfter
{
    /// <summary>
    /// How long the server asked us to wait, at most <paramref name="cap"/>; zero for a date already past;
    /// null when the response has no usable header.
    /// </summary>
    public static TimeSpan? Delay(HttpResponseMessage? response, TimeProvider timeProvider, TimeSpan cap)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        return response?.Headers.RetryAfter is { } header ? Delay(header, timeProvider.GetUtcNow(), cap) : null;
    }

    public static TimeSpan? Delay(RetryConditionHeaderValue header, DateTimeOffset now, TimeSpan cap)
    {
        ArgumentNullException.ThrowIfNull(header);
        TimeSpan? wanted = header.Delta ?? (header.Date is { } date ? date - now : null);
        return wanted switch
        {
            null => null,
            { } w when w < TimeSpan.Zero => TimeSpan.Zero,
            { } w when w > cap => cap,
            { } w => w,
        };
    }
}
