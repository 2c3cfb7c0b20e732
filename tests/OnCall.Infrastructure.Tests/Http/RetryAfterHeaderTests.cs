using System.Net;
using System.Net.Http.Headers;
using OnCall.Infrastructure.Http;
using OnCall.TestSupport;

namespace OnCall.Infrastructure.Tests.Http;

public sealed class RetryAfterHeaderTests
{
    private static readonly TimeSpan Cap = TimeSpan.FromSeconds(30);

    [Fact]
    public void Delay_DeltaSeconds_IsThatManySeconds()
    {
        using var response = TooManyRequests(new RetryConditionHeaderValue(TimeSpan.FromSeconds(7)));

        Assert.Equal(TimeSpan.FromSeconds(7), RetryAfter.Delay(response, Clocks.At("2026-11-23T10:00:00Z"), Cap));
    }

    [Fact]
    public void Delay_HttpDate_IsTheTimeUntilThenByOurClock()
    {
        using var response = TooManyRequests(new RetryConditionHeaderValue(DateTimeOffset.Parse("2026-11-23T10:00:12Z", System.Globalization.CultureInfo.InvariantCulture)));

        Assert.Equal(TimeSpan.FromSeconds(12), RetryAfter.Delay(response, Clocks.At("2026-11-23T10:00:00Z"), Cap));
    }

    [Fact]
    public void Delay_HttpDateAlreadyPast_IsZero()
    {
        using var response = TooManyRequests(new RetryConditionHeaderValue(DateTimeOffset.Parse("2026-11-23T09:59:00Z", System.Globalization.CultureInfo.InvariantCulture)));

        Assert.Equal(TimeSpan.Zero, RetryAfter.Delay(response, Clocks.At("2026-11-23T10:00:00Z"), Cap));
    }

    [Fact]
    public void Delay_LongerThanTheCap_IsTheCap()
    {
        using var response = TooManyRequests(new RetryConditionHeaderValue(TimeSpan.FromHours(1)));

        Assert.Equal(Cap, RetryAfter.Delay(response, Clocks.At("2026-11-23T10:00:00Z"), Cap));
    }

    [Fact]
    public void Delay_NoHeader_IsNullSoTheBackoffDecides()
    {
        using var response = new HttpResponseMessage(HttpStatusCode.ServiceUnavailable);

        Assert.Null(RetryAfter.Delay(response, Clocks.At("2026-11-23T10:00:00Z"), Cap));
    }

    private static HttpResponseMessage TooManyRequests(RetryConditionHeaderValue retryAfter)
    {
        var response = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
        response.Headers.RetryAfter = retryAfter;
        return response;
    }
}
