using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Azure.Storage.Queues;
using OnCall.Infrastructure.Storage;
using OnCall.TestSupport;

namespace OnCall.Functions.Tests.Incidents;

/// <summary>Shared by the incident tests: settings, webhook calls and reads.</summary>
internal static class IncidentKit
{
    public const string Secret = "test-webhook-secret-0123456789";

    /// <summary>
    /// Every source's secret, timers off, the queue retried at once and polled often; integrations only when given.
    /// <paramref name="listen"/> false switches the queue function off, so its events stay on the queue to be looked at.
    /// </summary>
    public static Dictionary<string, string> Settings(FakeStatuspage? statuspage = null, FakeGitHub? github = null, bool listen = true)
    {
        var settings = new Dictionary<string, string>
        {
            ["OnCall:WebhookSecrets:Alertmanager"] = Secret,
            ["OnCall:WebhookSecrets:AzureMonitor"] = Secret,
            ["OnCall:WebhookSecrets:Grafana"] = Secret,
            ["OnCall:WebhookSecrets:Generic"] = Secret,
            ["OnCall:Incidents:DefaultRotation"] = "platform",
            ["AzureWebJobs.PlanHandoffs.Disabled"] = "true",
            ["AzureWebJobs.FlagMissedHandoffs.Disabled"] = "true",
            ["AzureWebJobs.PruneFeedLedger.Disabled"] = "true",
            ["AzureWebJobs.RemindStatuspageOpen.Disabled"] = "true",
            ["OnCall:Queues:VisibilityTimeout"] = "00:00:00",
            ["OnCall:Queues:MaxPollingInterval"] = "00:00:00.100",
            ["OnCall:Statuspage:MinInterval"] = "00:00:00.050",
            ["OnCall:Incidents:ClaimLease"] = "00:00:03",
            ["OnCall:Statuspage:Http:AttemptTimeout"] = "00:00:02",
            ["OnCall:Statuspage:Http:TotalTimeout"] = "00:00:05",
        };
        if (!listen)
        {
            settings["AzureWebJobs.ProcessIncidentEvent.Disabled"] = "true";
        }

        foreach (var (key, value) in statuspage?.Settings(("api", "cmp-api"), ("db", "cmp-db")) ?? [])
        {
            settings[key] = value;
        }

        foreach (var (key, value) in github?.Settings() ?? [])
        {
            settings[key] = value;
        }

        return settings;
    }

    public static JsonObject Generic(string dedupKey = "db-down", string severity = "major", string? status = null, string title = "Database down") => new()
    {
        ["title"] = title,
        ["severity"] = severity,
        ["dedupKey"] = dedupKey,
        ["service"] = "db",
        ["components"] = new JsonArray("db"),
        ["description"] = "Primary database refuses connections",
        ["status"] = status,
    };

    /// <summary>POSTs <paramref name="body"/> to a webhook with the source's secret as a Bearer token.</summary>
    public static async Task<HttpResponseMessage> ReportAsync(this TestApp app, JsonNode body, string path = "/api/incidents")
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = Api.Json(body) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Secret);
        return await app.Client.SendAsync(request);
    }

    /// <summary>Reports and returns the 202's body.</summary>
    public static async Task<JsonObject> ReportOkAsync(this TestApp app, JsonNode body, string path = "/api/incidents")
    {
        using var response = await app.ReportAsync(body, path);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == System.Net.HttpStatusCode.Accepted, $"{(int)response.StatusCode} {text}");
        return JsonNode.Parse(text)!.AsObject();
    }

    public static async Task<string> OpenAsync(this TestApp app, JsonNode? body = null) =>
        (await app.ReportOkAsync(body ?? Generic()))["id"]!.GetValue<string>();

    public static async Task<JsonObject> IncidentAsync(this TestApp app, string id) =>
        (await app.Reader.GetJsonAsync($"/api/incidents/{id}")).AsObject();

    /// <summary>Waits (at most ten seconds) until the incident satisfies <paramref name="condition"/>, and returns it.</summary>
    public static async Task<JsonObject> IncidentWhenAsync(this TestApp app, string id, Func<JsonObject, bool> condition)
    {
        JsonObject incident = [];
        var reached = await Eventually.TrueAsync(async () => condition(incident = await app.IncidentAsync(id)));
        Assert.True(reached, $"incident never reached the expected state: {incident.ToJsonString()}");
        return incident;
    }

    public static string State(this JsonObject incident, string step) => incident[step]!["state"]!.GetValue<string>();

    public static Task<HttpResponseMessage> SetStatusAsync(this TestApp app, string id, string status, string message = "update") =>
        app.Admin.PostAsync($"/api/incidents/{id}/status", Api.Json(new JsonObject { ["status"] = status, ["message"] = message }));

    public static string Fixture(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "alertmanager", name));

    public static async Task<int> QueuedAsync(this TestApp app, string queue = "incident-events")
    {
        QueueClient client = await app.Service<QueueProvider>().GetAsync(queue);
        return (await client.GetPropertiesAsync()).Value.ApproximateMessagesCount;
    }
}
