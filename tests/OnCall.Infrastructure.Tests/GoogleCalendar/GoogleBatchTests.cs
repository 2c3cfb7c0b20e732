using System.Net.Http.Headers;
using OnCall.Infrastructure.GoogleCalendar;

namespace OnCall.Infrastructure.Tests.GoogleCalendar;

public sealed class GoogleBatchTests
{
    [Fact]
    public async Task Request_TwoCalls_IsMultipartMixedWithApplicationHttpPartsAndContentIds()
    {
        using var content = GoogleBatch.Request("b1", [new("POST", "/calendar/v3/calendars/c/events?sendUpdates=none", "{}"), new("DELETE", "/calendar/v3/calendars/c/events/abcde", null)]);

        var text = await content.ReadAsStringAsync();

        Assert.Equal("multipart/mixed", content.Headers.ContentType!.MediaType);
        Assert.Equal(
            "--b1\r\nContent-Type: application/http\r\nContent-ID: <item-0>\r\n\r\nPOST /calendar/v3/calendars/c/events?sendUpdates=none HTTP/1.1\r\n"
            + "Content-Type: application/json; charset=UTF-8\r\n\r\n{}\r\n"
            + "--b1\r\nContent-Type: application/http\r\nContent-ID: <item-1>\r\n\r\nDELETE /calendar/v3/calendars/c/events/abcde HTTP/1.1\r\n\r\n--b1--\r\n",
            text);
    }

    [Fact]
    public void Responses_GoogleShapedAnswer_ReadsStatusBodyAndRetryAfterByContentId()
    {
        const string Body = "--batch_x\r\nContent-Type: application/http\r\nContent-ID: <response-item-1>\r\n\r\nHTTP/1.1 403 Forbidden\r\n"
            + "Content-Type: application/json; charset=UTF-8\r\nRetry-After: 7\r\n\r\n{\"error\":{\"errors\":[{\"domain\":\"usageLimits\",\"reason\":\"rateLimitExceeded\"}],\"code\":403}}\r\n"
            + "--batch_x\r\nContent-Type: application/http\r\nContent-ID: <response-item-0>\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n\r\n--batch_x--\r\n";

        var answers = GoogleBatch.Responses(MediaTypeHeaderValue.Parse("multipart/mixed; boundary=batch_x"), Body);

        Assert.Equal(204, answers[0].Status);
        Assert.Equal(403, answers[1].Status);
        Assert.Equal(TimeSpan.FromSeconds(7), answers[1].RetryAfter);
        Assert.True(GoogleErrors.IsRetryable(answers[1].Status, answers[1].Body));
    }

    [Theory]
    [InlineData(403, "rateLimitExceeded", true)]
    [InlineData(403, "userRateLimitExceeded", true)]
    [InlineData(403, "forbidden", false)]
    [InlineData(429, "rateLimitExceeded", true)]
    [InlineData(503, "backendError", true)]
    [InlineData(400, "invalid", false)]
    public void IsRetryable_GoogleErrors_OnlyRateLimitsAndServerErrors(int status, string reason, bool expected)
    {
        var body = $$$"""{"error":{"errors":[{"domain":"global","reason":"{{{reason}}}"}],"code":{{{status}}}}}""";

        Assert.Equal(expected, GoogleErrors.IsRetryable(status, body));
    }
}
