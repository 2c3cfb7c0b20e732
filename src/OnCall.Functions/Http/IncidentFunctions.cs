using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using OnCall.Core.Diagnostics;
using OnCall.Core.Incidents;

namespace OnCall.Functions.Http;

/// <summary>
/// Incidents: the webhooks that open them, reads, and status changes. The webhooks are anonymous to the key check:
/// each source has its own secret (Bearer, HMAC signature or ?code=), checked before the body is parsed.
/// </summary>
public sealed class IncidentFunctions(
    HttpEdge edge,
    WebhookAuth auth,
    IncidentService incidents,
    IncidentSettings settings,
    OnCallMetrics metrics)
{
    private const string ActiveStatus = "active";

    [Function(nameof(ReportIncident))]
    [EndpointSummary("The generic incident webhook")]
    [WebhookSecret]
    [JsonBody(typeof(GenericAlertRequest))]
    [Answers(202, typeof(IngestResponse), "Stored and queued: a new incident (duplicate false), or added to the open one of the same key.")]
    [Problem(403, "The generic webhook's source names another sender (field source).")]
    public Task<IActionResult> ReportIncident(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "incidents")] HttpRequest request,
        CancellationToken cancellationToken) =>
        edge.RunAsync(request, Access.Anonymous, () =>
            IngestAsync(request, AlertPayloads.Generic, body => AlertPayloads.ReadGeneric(body, settings.Severities), cancellationToken));

    [Function(nameof(ReportAlertmanagerAlert))]
    [EndpointSummary("The Alertmanager webhook")]
    [WebhookSecret]
    [JsonBody(typeof(AlertmanagerWebhookRequest))]
    [Answers(202, typeof(IngestResponse), "Stored and queued: a new incident (duplicate false), or added to the open one of the same key.")]
    public Task<IActionResult> ReportAlertmanagerAlert(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "incidents/alertmanager")] HttpRequest request,
        CancellationToken cancellationToken) =>
        edge.RunAsync(request, Access.Anonymous, () =>
            IngestAsync(
                request,
                AlertPayloads.Alertmanager,
                body => AlertPayloads.ReadAlertmanager(body, settings.Severities, AlertPayloads.Alertmanager),
                cancellationToken));

    [Function(nameof(ReportAzureMonitorAlert))]
    [EndpointSummary("The Azure Monitor webhook")]
    [WebhookSecret]
    [JsonBody(typeof(AzureMonitorAlertRequest))]
    [Answers(202, typeof(IngestResponse), "Stored and queued: a new incident (duplicate false), or added to the open one of the same key.")]
    public Task<IActionResult> ReportAzureMonitorAlert(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "incidents/azure-monitor")] HttpRequest request,
        CancellationToken cancellationToken) =>
        edge.RunAsync(request, Access.Anonymous, () =>
            IngestAsync(
                request,
                AlertPayloads.AzureMonitor,
                body => AlertPayloads.ReadAzureMonitor(body, settings.Severities),
                cancellationToken));

    [Function(nameof(ReportGrafanaAlert))]
    [EndpointSummary("The Grafana webhook")]
    [WebhookSecret]
    [JsonBody(typeof(GrafanaWebhookRequest))]
    [Answers(202, typeof(IngestResponse), "Stored and queued: a new incident (duplicate false), or added to the open one of the same key.")]
    public Task<IActionResult> ReportGrafanaAlert(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "incidents/grafana")] HttpRequest request,
        CancellationToken cancellationToken) =>
        edge.RunAsync(request, Access.Anonymous, () =>
            IngestAsync(
                request,
                AlertPayloads.Grafana,
                body => AlertPayloads.ReadAlertmanager(body, settings.Severities, AlertPayloads.Grafana),
                cancellationToken));

    /// <summary>
    /// A plain array, like GET /api/handoffs; the timeline only comes with one incident. "active" (every status but
    /// resolved and canceled) reads only the active incidents; the others read the history.
    /// </summary>
    [Function(nameof(ListIncidents))]
    [EndpointSummary("List incidents, newest first")]
    [ApiKey(Access.Read)]
    [Query("status", "open, acknowledged, investigating, identified, monitoring, resolved, "
        + "canceled, or active (all but resolved and canceled).")]
    [Answers(200, typeof(IncidentResponse[]), "The incidents, without their timelines.")]
    public Task<IActionResult> ListIncidents(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = "incidents")] HttpRequest request,
        CancellationToken cancellationToken) =>
        edge.RunAsync(request, Access.Read, async () =>
        {
            var status = WireFormat.Query(request, "status");
            var list = string.Equals(status, ActiveStatus, StringComparison.OrdinalIgnoreCase)
                ? await incidents.ListActiveAsync(cancellationToken: cancellationToken)
                : await incidents.ListAsync(status is null ? null : IncidentRules.ParseStatus(status, "status"), cancellationToken);
            return TypedResults.Ok(list.Select(i => IncidentContracts.ToResponse(i)));
        });

    [Function(nameof(GetIncident))]
    [EndpointSummary("Get an incident with its timeline")]
    [ApiKey(Access.Read)]
    [Answers(200, typeof(IncidentResponse), "The incident.")]
    [Problem(404, "No incident with this id.")]
    public Task<IActionResult> GetIncident(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = "incidents/{id}")] HttpRequest request,
        string id,
        CancellationToken cancellationToken) =>
        edge.RunAsync(request, Access.Read, async () =>
            TypedResults.Ok(IncidentContracts.ToResponse(await incidents.GetAsync(id, cancellationToken))));

    [Function(nameof(SetIncidentStatus))]
    [EndpointSummary("Change an incident's status")]
    [ApiKey(Access.Admin)]
    [JsonBody(typeof(IncidentStatusRequest))]
    [Answers(200, typeof(IncidentResponse), "The incident.")]
    [Problem(404, "No incident with this id.")]
    [Problem(409, "Nothing leaves resolved or canceled, and nothing goes back to open.")]
    public Task<IActionResult> SetIncidentStatus(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "incidents/{id}/status")] HttpRequest request,
        string id,
        CancellationToken cancellationToken) =>
        edge.RunAsync(request, Access.Admin, async () =>
        {
            IncidentService.RequireId(id);
            var body = await RequestBody.ReadAsync<IncidentStatusRequest>(request, cancellationToken);
            var status = IncidentRules.ParseStatus(body.Status, "status");
            var changed = await incidents.SetStatusAsync(
                id,
                status,
                WireFormat.OptionalText(body.Message),
                WireFormat.OptionalText(body.By),
                cancellationToken);
            return TypedResults.Ok(IncidentContracts.ToResponse(changed));
        });

    /// <summary>
    /// Size, type and secret first (nothing unauthenticated is parsed), then the sender's payload; 202 once stored and
    /// queued.
    /// </summary>
    private async Task<IResult> IngestAsync(
        HttpRequest request,
        string source,
        Func<JsonObject, Alert> read,
        CancellationToken cancellationToken)
    {
        try
        {
            return await StoreAsync(request, source, read, cancellationToken);
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            metrics.WebhookRefused(source, RefusalReason(exception));
            throw;
        }
    }

    /// <summary>Why a delivery was refused, in a few words fit for a metric's tag.</summary>
    private static string RefusalReason(Exception exception) => exception switch
    {
        HttpProblemException { Status: 401 or 403 } => "unauthorized",
        HttpProblemException { Status: 413 } => "too_large",
        HttpProblemException { Status: 415 } => "unsupported_media_type",
        Core.Errors.TooLargeException => "too_large",
        HttpProblemException or Core.Errors.ValidationFailedException => "invalid",
        Core.Errors.ConcurrencyException => "conflict",
        Infrastructure.Storage.StorageUnavailableException => "unavailable",
        _ => "error",
    };

    private async Task<IResult> StoreAsync(
        HttpRequest request,
        string source,
        Func<JsonObject, Alert> read,
        CancellationToken cancellationToken)
    {
        var body = await RequestBody.ReadBytesAsync(request, cancellationToken);
        auth.Check(source, request, body);
        JsonObject payload;
        try
        {
            payload = JsonNode.Parse(body) as JsonObject
                ?? throw new HttpProblemException(400, "Invalid request", "The body must be a JSON object.", "body");
        }
        catch (JsonException)
        {
            throw new HttpProblemException(400, "Invalid JSON", "The body is not valid JSON.", "body");
        }

        Alert alert;
        try
        {
            alert = read(payload);
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException or FormatException)
        {
            // A member of the wrong JSON kind (an array where an object belongs) or a repeated property name.
            throw new HttpProblemException(
                400,
                "Invalid request",
                $"The body does not have the shape a {source} webhook sends: a member has the wrong type or appears twice.",
                "body");
        }

        var result = await incidents.IngestAsync(alert, cancellationToken);
        return TypedResults.Json(IncidentContracts.ToResponse(result), statusCode: StatusCodes.Status202Accepted);
    }
}
