using System.Diagnostics.Metrics;
using OnCall.Core.Notifications;

namespace OnCall.Core.Diagnostics;

/// <summary>
/// The meter <c>OnCall</c>: counts that answer on-call questions ("how many handoffs were missed this week?"), each with
/// a few low-cardinality tags (never an id, a person or a URL). docs/operations.md says what each one means.
/// </summary>
public sealed class OnCallMetrics
{
    private readonly Counter<long> _incidentsOpened;
    private readonly Counter<long> _webhooksDeduplicated;
    private readonly Counter<long> _webhooksRefused;
    private readonly Counter<long> _handoffs;
    private readonly Counter<long> _notices;
    private readonly Counter<long> _googleRequests;
    private readonly Counter<long> _integrationRequests;
    private readonly Counter<long> _messagesPoisoned;
    private long? _oldestPendingHandoffSeconds;

    public OnCallMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(OnCallTelemetry.Name);
        _incidentsOpened = meter.CreateCounter<long>("oncall.incidents.opened", "{incident}", "Incidents opened, by source and severity.");
        _webhooksDeduplicated = meter.CreateCounter<long>(
            "oncall.webhooks.deduplicated",
            "{delivery}",
            "Webhook deliveries that matched an open incident (or repeated a resolve), by source.");
        _webhooksRefused = meter.CreateCounter<long>(
            "oncall.webhooks.refused",
            "{delivery}",
            "Webhook deliveries refused, by source and reason.");
        _handoffs = meter.CreateCounter<long>(
            "oncall.handoffs",
            "{handoff}",
            "Handoffs that were acknowledged, missed, or acknowledged late, by outcome.");
        _notices = meter.CreateCounter<long>(
            "oncall.notices.sent",
            "{message}",
            "Messages to people (handoff, coverage and swap notices), by kind, channel and result.");
        _googleRequests = meter.CreateCounter<long>(
            "oncall.google.requests",
            "{request}",
            "Google Calendar API requests made by calendar syncs, by result.");
        _integrationRequests = meter.CreateCounter<long>(
            "oncall.integration.requests",
            "{request}",
            "Statuspage and GitHub requests, by service and result.");
        _messagesPoisoned = meter.CreateCounter<long>(
            "oncall.messages.poisoned",
            "{message}",
            "Queue messages that failed every try, by function.");
        meter.CreateObservableGauge(
            "oncall.handoffs.oldest_pending.age",
            () => _oldestPendingHandoffSeconds is { } age ? [new Measurement<long>(age)] : Array.Empty<Measurement<long>>(),
            "s",
            "How long the oldest handoff still waiting for acknowledgement has been due, as of the last FlagMissedHandoffs "
            + "run; 0 when none is overdue.");
    }

    public void IncidentOpened(string source, string severity) =>
        _incidentsOpened.Add(1, new("source", source), new("severity", severity));

    public void WebhookDeduplicated(string source) => _webhooksDeduplicated.Add(1, new KeyValuePair<string, object?>("source", source));

    /// <summary><paramref name="reason"/>: <c>unauthorized</c>, <c>invalid</c>, <c>too_large</c>, <c>unavailable</c>.</summary>
    public void WebhookRefused(string source, string reason) =>
        _webhooksRefused.Add(1, new("source", source), new("reason", reason));

    /// <summary><paramref name="outcome"/>: <c>acknowledged</c>, <c>missed</c> or <c>acknowledged_late</c>.</summary>
    public void Handoff(string outcome) => _handoffs.Add(1, new KeyValuePair<string, object?>("outcome", outcome));

    /// <summary>One message's outcome on each channel it was tried on.</summary>
    public void NoticeSent(string kind, NotificationResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        foreach (var channel in result.Channels)
        {
            _notices.Add(
                1,
                new("kind", kind),
                new("channel", channel.Channel.ToString().ToLowerInvariant()),
                new("result", channel.Status.ToString().ToLowerInvariant()));
        }
    }

    /// <summary>
    /// <paramref name="result"/>: <c>success</c>, <c>rate_limited</c>, <c>client_error</c>, <c>server_error</c>,
    /// <c>failed</c>.
    /// </summary>
    public void GoogleRequest(string result) => _googleRequests.Add(1, new KeyValuePair<string, object?>("result", result));

    /// <summary><paramref name="service"/>: <c>statuspage</c> or <c>github</c>.</summary>
    public void IntegrationRequest(string service, string result) =>
        _integrationRequests.Add(1, new("service", service), new("result", result));

    public void MessagePoisoned(string function) => _messagesPoisoned.Add(1, new KeyValuePair<string, object?>("function", function));

    /// <summary>Records how overdue the oldest pending handoff is (zero or negative: none is due yet).</summary>
    public void OldestPendingHandoff(TimeSpan? overdue) =>
        _oldestPendingHandoffSeconds = overdue is { } age ? (long)Math.Max(0, age.TotalSeconds) : 0;

    /// <summary>The result tag of an HTTP status: success, rate_limited, client_error, server_error.</summary>
    public static string ResultOf(int status) => status switch
    {
        >= 200 and < 400 => "success",
        429 => "rate_limited",
        >= 400 and < 500 => "client_error",
        _ => "server_error",
    };
}
