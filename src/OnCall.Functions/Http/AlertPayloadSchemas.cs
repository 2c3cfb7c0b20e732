using System.ComponentModel;

namespace OnCall.Functions.Http;

// The webhooks' payloads as the OpenAPI document shows them. AlertPayloads reads the bodies as JSON trees, not
// through these types; they list what it reads (and what the senders commonly send). Other members are ignored.

[Description("The generic webhook's body, for scripts. Its incidents' source is generic whatever source says.")]
public sealed record GenericAlertRequest(
    [property: Description("At most 200 characters.")] string Title,
    [property: Description("critical, major, minor (or Sev0-Sev4, error, warning, info, and OnCall__Incidents__Severities__<word>).")]
    string Severity,
    [property: Description("The alert key: one incident per key while it is open.")] string DedupKey,
    [property: Description("Names the sending script; alertmanager, azure-monitor or grafana are refused (403).")] string? Source = null,
    string? Service = null,
    IReadOnlyList<string>? Components = null,
    string? Description = null,
    [property: Description("firing (the default) or resolved.")] string? Status = null,
    [property: Description("The rotation whose primary layer commands it (else OnCall__Incidents__DefaultRotation).")]
    string? Rotation = null,
    [property: Description("An absolute http or https URL of at most 2,000 characters.")] string? Link = null);

[Description("One alert of an Alertmanager or Grafana group.")]
public sealed record AlertmanagerAlert(
    [property: Description("Labels: severity, alertname, component or service, rotation or team are read.")]
    IReadOnlyDictionary<string, string> Labels,
    [property: Description("Annotations: summary (the title) and description are read.")]
    IReadOnlyDictionary<string, string>? Annotations = null,
    [property: Description("firing or resolved.")] string? Status = null,
    string? StartsAt = null,
    string? EndsAt = null,
    string? GeneratorURL = null,
    string? Fingerprint = null);

[Description("Alertmanager's webhook payload, version 4. The group's groupKey is the alert key.")]
public sealed record AlertmanagerWebhookRequest(
    [property: Description("4.")] string Version,
    string GroupKey,
    [property: Description("firing or resolved; resolved resolves the incident.")] string Status,
    IReadOnlyList<AlertmanagerAlert> Alerts,
    string? Receiver = null,
    IReadOnlyDictionary<string, string>? GroupLabels = null,
    IReadOnlyDictionary<string, string>? CommonLabels = null,
    IReadOnlyDictionary<string, string>? CommonAnnotations = null,
    string? ExternalURL = null,
    int? TruncatedAlerts = null);

[Description("Grafana alerting's webhook payload: Alertmanager's shape plus a title, state and message.")]
public sealed record GrafanaWebhookRequest(
    string GroupKey,
    [property: Description("firing or resolved; resolved resolves the incident.")] string Status,
    IReadOnlyList<AlertmanagerAlert> Alerts,
    [property: Description("The title when no alert has a summary or alertname.")] string? Title = null,
    string? Version = null,
    string? State = null,
    string? Message = null,
    long? OrgId = null,
    string? Receiver = null,
    IReadOnlyDictionary<string, string>? GroupLabels = null,
    IReadOnlyDictionary<string, string>? CommonLabels = null,
    IReadOnlyDictionary<string, string>? CommonAnnotations = null,
    string? ExternalURL = null);

[Description("The essentials of Azure Monitor's common alert schema; alertId is the alert key.")]
public sealed record AzureMonitorEssentials(
    string AlertId,
    [property: Description("Sev0 to Sev4.")] string Severity,
    [property: Description("Fired or Resolved.")] string MonitorCondition,
    [property: Description("The title.")] string? AlertRule = null,
    string? Description = null,
    [property: Description("The first is the service; all are components.")] IReadOnlyList<string>? ConfigurationItems = null,
    string? SignalType = null,
    string? MonitoringService = null,
    IReadOnlyList<string>? AlertTargetIDs = null,
    string? FiredDateTime = null,
    string? ResolvedDateTime = null);

public sealed record AzureMonitorAlertData(
    AzureMonitorEssentials Essentials,
    [property: Description("rotation or team names the rotation.")] IReadOnlyDictionary<string, string>? CustomProperties = null);

[Description("Azure Monitor's common alert schema (turn it on in the action group).")]
public sealed record AzureMonitorAlertRequest(
    [property: Description("azureMonitorCommonAlertSchema.")] string SchemaId,
    AzureMonitorAlertData Data);
