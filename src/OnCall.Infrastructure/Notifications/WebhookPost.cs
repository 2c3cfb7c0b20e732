using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using OnCall.Infrastructure.Http;
using OnCall.Core.Notifications;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace OnCall.Infrastructure.Notifications;

/// <summary>
/// Posts a JSON payload to a webhook and turns every outcome into a <see cref="ChannelDelivery"/>. Neither the log lines
/// nor the reasons hold the URL, which is the webhook's secret: only the channel, the status and the service's error code.
/// </summary>
internal static partial class WebhookPost
{
    private const int MaxErrorBodyLength = 2048;

    public static async Task<ChannelDelivery> PostAsync(
        HttpClient http,
        NotificationChannel channel,
        string destination,
        Uri url,
        JsonNode payload,
        ILogger logger,
        CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url)
        {
            Content = new StringContent(payload.ToJsonString(), Encoding.UTF8, new MediaTypeHeaderValue("application/json")),
        };
        return await SendAsync(http, channel, destination, request, logger, cancellationToken);
    }

    /// <summary>Sends <paramref name="request"/> (headers and all) and reports the outcome as <see cref="PostAsync"/> does.</summary>
    public static async Task<ChannelDelivery> SendAsync(
        HttpClient http,
        NotificationChannel channel,
        string destination,
        HttpRequestMessage request,
        ILogger logger,
        CancellationToken cancellationToken = default)
    {
        string reason;
        try
        {
            HttpResponseMessage response;
            using (HiddenUrl.Begin())
            {
                response = await http.SendAsync(request, cancellationToken);
            }

            using var answered = response;
            if (response.IsSuccessStatusCode)
            {
                logger.LogInformation("Notification sent to {Destination}: HTTP {StatusCode}", destination, (int)response.StatusCode);
                return ChannelDelivery.Sent(channel);
            }

            var code = await ErrorCodeAsync(response, cancellationToken);
            reason = code is null ? $"HTTP {(int)response.StatusCode}" : $"HTTP {(int)response.StatusCode} {code}";
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e) when (e is TimeoutRejectedException or OperationCanceledException)
        {
            reason = "timed out";
        }
        catch (BrokenCircuitException)
        {
            reason = "circuit open after repeated failures";
        }
        catch (HttpRequestException e)
        {
            // The message can name the host; the error kind is enough and names nothing.
            reason = $"request failed ({e.HttpRequestError})";
        }

        logger.LogWarning("Notification to {Destination} failed: {Reason}", destination, reason);
        return ChannelDelivery.Failed(channel, reason);
    }

    /// <summary>
    /// The service's error code, if it sent one: Slack answers a bare token (<c>invalid_payload</c>, <c>no_service</c>),
    /// Power Automate a JSON <c>{"error":{"code":…}}</c>. Anything else is left out rather than echoed.
    /// </summary>
    private static async Task<string?> ErrorCodeAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        string body;
        try
        {
            body = (await response.Content.ReadAsStringAsync(cancellationToken)).Trim();
        }
        catch (HttpRequestException)
        {
            return null;
        }

        if (body.Length > MaxErrorBodyLength)
        {
            return null;
        }

        if (ErrorToken().IsMatch(body))
        {
            return body;
        }

        try
        {
            return JsonNode.Parse(body)?["error"]?["code"]?.GetValue<string>() is { } code && ErrorToken().IsMatch(code) ? code : null;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            return null;
        }
    }

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9_.]{0,63}$")]
    private static partial Regex ErrorToken();
}
