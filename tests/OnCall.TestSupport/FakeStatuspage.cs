using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace OnCall.TestSupport;

/// <summary>
/// Statuspage's REST API v1 as far as incidents go: <c>POST /v1/pages/{page}/incidents</c> (201, the incident),
/// <c>PATCH /v1/pages/{page}/incidents/{id}</c> (200; 404 <c>{"error":"Incident not found"}</c>),
/// <c>GET /v1/pages/{page}/incidents/unresolved</c>. Requests need <c>Authorization: OAuth &lt;key&gt;</c> (401
/// otherwise); a body without <c>incident.name</c> on create, or with an unknown status, is 422 <c>{"error": …}</c>.
/// Incidents are shaped as the API returns them: id, name, status, impact, shortlink, page_id, metadata, components
/// (id, status), incident_updates, created_at, updated_at, resolved_at.
/// </summary>
public sealed class FakeStatuspage : FakeServer
{
    private static readonly string[] Statuses = ["investigating", "identified", "monitoring", "resolved", "scheduled", "in_progress", "verifying", "completed"];
    private static readonly string[] ComponentStatuses = ["operational", "degraded_performance", "partial_outage", "major_outage", "under_maintenance"];

    private readonly ConcurrentDictionary<string, JsonObject> _incidents = new();
    private readonly Lock _lock = new();

    public string ApiKey { get; } = "sp-key-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));

    public string PageId { get; } = "pg" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(5));

    /// <summary>The API base, as <c>OnCall:Statuspage:BaseUrl</c> takes it (<c>…/v1/</c>).</summary>
    public Uri ApiBase => new(BaseAddress, "v1/");

    /// <summary>Every incident created, as the API would return it now.</summary>
    public IReadOnlyList<JsonObject> Incidents
    {
        get
        {
            lock (_lock)
            {
                return [.. _incidents.Values.Select(i => i.DeepClone().AsObject()).OrderBy(i => i["created_at"]!.GetValue<string>(), StringComparer.Ordinal)];
            }
        }
    }

    /// <summary>The settings that point the app at this fake.</summary>
    public Dictionary<string, string> Settings(params (string Name, string Id)[] components)
    {
        var settings = new Dictionary<string, string>
        {
            ["OnCall:Statuspage:BaseUrl"] = ApiBase.AbsoluteUri,
            ["OnCall:Statuspage:ApiKey"] = ApiKey,
            ["OnCall:Statuspage:PageId"] = PageId,
        };
        foreach (var (name, id) in components)
        {
            settings[$"OnCall:Statuspage:Components:{name}"] = id;
        }

        return settings;
    }

    /// <summary>An unresolved incident created for our incident <paramref name="incidentId"/>, as if a create's answer had been lost.</summary>
    public JsonObject AddIncident(string incidentId, string name)
    {
        var id = NewId();
        var now = Now();
        var incident = new JsonObject
        {
            ["id"] = id,
            ["name"] = name,
            ["status"] = "investigating",
            ["impact"] = "major",
            ["shortlink"] = $"http://stspg.io/{id[..5]}",
            ["page_id"] = PageId,
            ["metadata"] = new JsonObject { ["oncall"] = new JsonObject { ["incident"] = incidentId } },
            ["components"] = new JsonArray(),
            ["incident_updates"] = new JsonArray(),
            ["created_at"] = now,
            ["updated_at"] = now,
            ["resolved_at"] = null,
        };
        _incidents[id] = incident;
        return incident.DeepClone().AsObject();
    }

    protected override void MapRoutes(WebApplication app)
    {
        app.MapPost("/v1/pages/{page}/incidents", async (string page, HttpRequest request) =>
        {
            if (Refuse(page, request) is { } refused)
            {
                return refused;
            }

            if (await ReadIncidentAsync(request) is not { } body || body["name"]?.GetValue<string>() is not { Length: > 0 } name)
            {
                return Error(422, "Name can't be blank");
            }

            var status = body["status"]?.GetValue<string>() ?? "investigating";
            if (!Statuses.Contains(status))
            {
                return Error(422, $"Status is not included in the list");
            }

            var id = NewId();
            var now = Now();
            var incident = new JsonObject
            {
                ["id"] = id,
                ["name"] = name,
                ["status"] = status,
                ["impact"] = body["impact_override"]?.GetValue<string>() ?? "none",
                ["impact_override"] = body["impact_override"]?.DeepClone(),
                ["shortlink"] = $"http://stspg.io/{id[..5]}",
                ["page_id"] = page,
                ["metadata"] = body["metadata"]?.DeepClone() ?? new JsonObject(),
                ["components"] = new JsonArray(),
                ["incident_updates"] = new JsonArray(),
                ["created_at"] = now,
                ["updated_at"] = now,
                ["resolved_at"] = status == "resolved" ? now : null,
                ["monitoring_at"] = null,
            };
            if (Apply(incident, body) is { } invalid)
            {
                return invalid;
            }

            lock (_lock)
            {
                _incidents[id] = incident;
                return Results.Json(incident.DeepClone(), statusCode: 201);
            }
        });

        app.MapMethods("/v1/pages/{page}/incidents/{id}", ["PATCH"], async (string page, string id, HttpRequest request) =>
        {
            if (Refuse(page, request) is { } refused)
            {
                return refused;
            }

            if (!_incidents.TryGetValue(id, out var incident))
            {
                return Error(404, "Incident not found");
            }

            if (await ReadIncidentAsync(request) is not { } body)
            {
                return Error(422, "incident is missing");
            }

            lock (_lock)
            {
                if (body["status"]?.GetValue<string>() is { } status)
                {
                    if (!Statuses.Contains(status))
                    {
                        return Error(422, "Status is not included in the list");
                    }

                    incident["status"] = status;
                    if (status == "resolved")
                    {
                        incident["resolved_at"] = Now();
                    }
                }

                incident["updated_at"] = Now();
                return Apply(incident, body) ?? Results.Json(incident.DeepClone(), statusCode: 200);
            }
        });

        app.MapGet("/v1/pages/{page}/incidents/unresolved", (string page, HttpRequest request) =>
        {
            if (Refuse(page, request) is { } refused)
            {
                return refused;
            }

            lock (_lock)
            {
                return Results.Json(new JsonArray([.. _incidents.Values
                    .Where(i => i["status"]!.GetValue<string>() is not ("resolved" or "completed"))
                    .Select(i => (JsonNode)i.DeepClone())]));
            }
        });
    }

    // The update text and affected components, as Statuspage records them on the incident.
    private IResult? Apply(JsonObject incident, JsonObject body)
    {
        if (body["components"] is JsonObject components)
        {
            var list = incident["components"]!.AsArray();
            foreach (var (id, value) in components)
            {
                var status = value?.GetValue<string>();
                if (!ComponentStatuses.Contains(status))
                {
                    return Error(422, $"Component status {status} is not valid");
                }

                if (list.FirstOrDefault(c => c!["id"]!.GetValue<string>() == id) is JsonObject existing)
                {
                    existing["status"] = status;
                }
                else
                {
                    list.Add(new JsonObject { ["id"] = id, ["status"] = status, ["page_id"] = PageId });
                }
            }
        }

        incident["incident_updates"]!.AsArray().Insert(0, new JsonObject
        {
            ["id"] = NewId(),
            ["status"] = incident["status"]!.GetValue<string>(),
            ["body"] = body["body"]?.GetValue<string>(),
            ["created_at"] = Now(),
        });
        return null;
    }

    private IResult? Refuse(string page, HttpRequest request)
    {
        if (request.Headers.Authorization.ToString() != $"OAuth {ApiKey}")
        {
            return Error(401, "Could not authenticate");
        }

        return page == PageId ? null : Error(404, "Page not found");
    }

    private static async Task<JsonObject?> ReadIncidentAsync(HttpRequest request)
    {
        try
        {
            return (await JsonNode.ParseAsync(request.Body))?["incident"] as JsonObject;
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    private static IResult Error(int status, string message) => Results.Json(new JsonObject { ["error"] = message }, statusCode: status);

    private string Now() => Clock.GetUtcNow().ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);

    private static string NewId() => string.Concat(RandomNumberGenerator.GetItems<char>("abcdefghijklmnopqrstuvwxyz0123456789", 12));
}
