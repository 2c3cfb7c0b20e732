using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OnCall.Core.Ports;
using OnCall.Infrastructure.Http;

namespace OnCall.Infrastructure.Incidents;

/// <summary>
/// Keeps requests with the one Statuspage key at least <see cref="StatuspageOptions.MinInterval"/> apart, across the app:
/// a token bucket of one token, so one request at a time, whose token comes back <c>MinInterval</c> after the request
/// ends, on the app's clock. Not the bucket's own replenishment: that runs on a system-clock timer whose ticks are not
/// tied to the end of a request, so two requests could come closer than the interval.
/// </summary>
public sealed class StatuspageThrottle : IDisposable
{
    private readonly TokenBucketRateLimiter _limiter;
    private readonly ITimer _replenish;
    private readonly TimeSpan _interval;

    public StatuspageThrottle(IOptions<StatuspageOptions> options, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _interval = options.Value.MinInterval;
        _limiter = new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
        {
            TokenLimit = 1,
            TokensPerPeriod = 1,
            // Unused without auto-replenishment, but must be positive.
            ReplenishmentPeriod = _interval > TimeSpan.Zero ? _interval : TimeSpan.FromTicks(1),
            AutoReplenishment = false,
            QueueLimit = int.MaxValue,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        });
        _replenish = timeProvider.CreateTimer(_ => _limiter.TryReplenish(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    public void Dispose()
    {
        _replenish.Dispose();
        _limiter.Dispose();
    }

    public async Task<T> RunAsync<T>(Func<Task<T>> call, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(call);
        using var lease = await _limiter.AcquireAsync(1, cancellationToken);
        if (!lease.IsAcquired)
        {
            throw new InvalidOperationException("The Statuspage throttle refused a request.");
        }

        try
        {
            return await call();
        }
        finally
        {
            // The one token is out, so no other request runs until it is given back.
            if (_interval > TimeSpan.Zero)
            {
                _replenish.Change(_interval, Timeout.InfiniteTimeSpan);
            }
            else
            {
                _limiter.TryReplenish();
            }
        }
    }
}

/// <summary>
/// Statuspage's REST API (<c>POST/PATCH /pages/{page}/incidents</c>, <c>Authorization: OAuth &lt;key&gt;</c>) through the
/// outgoing-HTTP pipeline, which retries 429 after its <c>Retry-After</c>; a 429 that outlasts the retries is a
/// <see cref="RetryLaterException"/>. Our incident id travels in the incident's metadata, so a create that went
/// through unrecorded is found again.
/// </summary>
public sealed class StatuspageClient(
    HttpClient http,
    IOptions<StatuspageOptions> options,
    StatuspageThrottle throttle,
    TimeProvider timeProvider,
    ILogger<StatuspageClient> logger) : IStatuspage
{
    public bool IsConfigured => options.Value.IsConfigured;

    public Task<StatuspageRecord> CreateAsync(StatuspagePost post, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Post, $"pages/{Page}/incidents", Body(post, create: true), cancellationToken);

    public Task<StatuspageRecord> UpdateAsync(string statuspageId, StatuspagePost post, CancellationToken cancellationToken = default) =>
        SendAsync(
            HttpMethod.Patch,
            $"pages/{Page}/incidents/{Uri.EscapeDataString(statuspageId)}",
            Body(post, create: false),
            cancellationToken);

    public async Task<StatuspageRecord?> FindAsync(string incidentId, CancellationToken cancellationToken = default)
    {
        var list = await throttle.RunAsync(
            async () =>
            {
                using var request = Request(HttpMethod.Get, $"pages/{Page}/incidents/unresolved", null);
                using var response = await http.SendAsync(request, cancellationToken);
                await EnsureSuccessAsync(response, "list unresolved incidents", cancellationToken);
                return await response.Content.ReadFromJsonAsync<JsonArray>(cancellationToken) ?? [];
            },
            cancellationToken);
        return list.OfType<JsonObject>()
            .Where(i => i["metadata"]?["oncall"]?["incident"]?.GetValue<string>() == incidentId)
            .Select(ToRecord)
            .FirstOrDefault();
    }

    private string Page => Uri.EscapeDataString(options.Value.PageId ?? "");

    private JsonObject Body(StatuspagePost post, bool create)
    {
        var ids = post.Components
            .Select(c => options.Value.Components.TryGetValue(c, out var id) && !string.IsNullOrWhiteSpace(id) ? id : null)
            .OfType<string>()
            .Distinct(StringComparer.Ordinal)
            .ToList();
        var components = new JsonObject();
        foreach (var id in ids)
        {
            components[id] = post.ComponentStatus;
        }

        var incident = new JsonObject
        {
            ["status"] = post.Status,
            ["body"] = post.Body,
            ["components"] = components,
            ["component_ids"] = new JsonArray([.. ids.Select(id => (JsonNode)JsonValue.Create(id))]),
            ["deliver_notifications"] = true,
        };
        if (create)
        {
            incident["name"] = post.Name;
            incident["impact_override"] = post.Impact;
            incident["metadata"] = new JsonObject { ["oncall"] = new JsonObject { ["incident"] = post.IncidentId } };
        }

        return new JsonObject { ["incident"] = incident };
    }

    private Task<StatuspageRecord> SendAsync(HttpMethod method, string path, JsonObject body, CancellationToken cancellationToken) =>
        throttle.RunAsync(
            async () =>
            {
                using var request = Request(method, path, body);
                using var response = await http.SendAsync(request, cancellationToken);
                await EnsureSuccessAsync(
                    response,
                    method == HttpMethod.Post ? "create an incident" : "update an incident",
                    cancellationToken);
                var created = await response.Content.ReadFromJsonAsync<JsonObject>(cancellationToken)
                    ?? throw new HttpRequestException("Statuspage answered without an incident.");
                return ToRecord(created);
            },
            cancellationToken);

    private HttpRequestMessage Request(HttpMethod method, string path, JsonObject? body)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.TryAddWithoutValidation("Authorization", $"OAuth {options.Value.ApiKey}");
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        return request;
    }

    private async Task EnsureSuccessAsync(HttpResponseMessage response, string what, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        // Status and Statuspage's error text only: the request carried the key.
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        logger.LogWarning(
            "Statuspage refused to {What}: {Status} {Error}.",
            what,
            (int)response.StatusCode,
            text.Length > 300 ? text[..300] : text);
        if (response.StatusCode == HttpStatusCode.TooManyRequests)
        {
            throw new RetryLaterException(
                RetryAfter.Delay(response, timeProvider, TimeSpan.FromMinutes(5)) ?? TimeSpan.FromSeconds(5),
                "Statuspage rate limit (429)");
        }

        throw new HttpRequestException(
            string.Create(CultureInfo.InvariantCulture, $"Statuspage answered {(int)response.StatusCode} to '{what}'."),
            null,
            response.StatusCode);
    }

    private static StatuspageRecord ToRecord(JsonObject incident) =>
        new(
            incident["id"]?.GetValue<string>() ?? throw new HttpRequestException("Statuspage answered an incident without an id."),
            incident["shortlink"]?.GetValue<string>());
}
