using System.Text.Json.Serialization;
using NodaTime;
using OnCall.Core.Incidents;

namespace OnCall.Functions.Http;

/// <summary>What a webhook caller hears: <c>202 {id, status, duplicate}</c>.</summary>
public sealed record IngestResponse(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? Id,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? Status,
    bool Duplicate);

public sealed record StatuspageStepResponse(
    string State,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? IncidentId,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? Url,
    string? Status,
    string? Note,
    Instant? RetryAt);

public sealed record PostMortemStepResponse(
    string State,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? Url,
    int? Number,
    string? Note,
    Instant? RetryAt);

public sealed record TimelineResponse(Instant At, string Kind, string Message, string By);

/// <summary>An incident on the wire; <see cref="Timeline"/> only when one incident is read.</summary>
public sealed record IncidentResponse(
    string Id,
    string Title,
    string Severity,
    string Status,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? Rotation,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? Service,
    string Source,
    string DedupKey,
    IReadOnlyList<string> Components,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] MemberResponse? Commander,
    Instant OpenedAt,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] Instant? ResolvedAt,
    string? Description,
    string? Link,
    StatuspageStepResponse Statuspage,
    PostMortemStepResponse PostMortem,
    IReadOnlyList<TimelineResponse>? Timeline);

// Bodies as clients send them: nullable strings, so "required" is reported with the field's name.
public sealed record IncidentStatusRequest(string? Status, string? Message, string? By);

public static class IncidentContracts
{
    public static IncidentResponse ToResponse(Incident i, IReadOnlyList<TimelineEntry>? timeline = null) => new(
        i.Id,
        i.Title,
        IncidentRules.Wire(i.Severity),
        IncidentRules.Wire(i.Status),
        i.RotationId,
        i.Service,
        i.Source,
        i.DedupKey,
        i.Components,
        i.Commander is { } c ? Contracts.ToResponse(c) : null,
        i.OpenedAt,
        i.ResolvedAt,
        i.Description,
        i.Link,
        new StatuspageStepResponse(
            IncidentRules.Wire(i.Statuspage.Status),
            i.Statuspage.ExternalId,
            i.Statuspage.Url,
            i.Statuspage.Applied,
            i.Statuspage.Note,
            i.Statuspage.RetryAt),
        new PostMortemStepResponse(
            IncidentRules.Wire(i.PostMortem.Status),
            i.PostMortem.Url,
            int.TryParse(i.PostMortem.ExternalId, out var n) ? n : null,
            i.PostMortem.Note,
            i.PostMortem.RetryAt),
        timeline?.Select(t => new TimelineResponse(t.At, IncidentRules.Wire(t.Kind), t.Message, t.By)).ToList());

    public static IncidentResponse ToResponse(IncidentDetails details) => ToResponse(details.Incident, details.Timeline);

    public static IngestResponse ToResponse(IngestResult result) =>
        new(result.Id, result.Status is { } s ? IncidentRules.Wire(s) : null, result.Duplicate);
}
