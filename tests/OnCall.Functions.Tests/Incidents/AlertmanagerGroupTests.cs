using System.Text.Json.Nodes;
using OnCall.TestSupport;

namespace OnCall.Functions.Tests.Incidents;

/// <summary>A group of several alerts from Alertmanager or Grafana: which alert leads, and words the app does not know.</summary>
[Collection(StorageTests.Collection)]
public sealed class AlertmanagerGroupTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task ReportAlertmanager_CriticalAlertAfterAWarning_TitleFromTheCriticalAlert()
    {
        await using var app = await TestApp.StartAsync(azurite.ConnectionString, Clocks.At(Api.Now), IncidentKit.Settings(listen: false));

        var id = await OpenAsync(app, Group(("warning", "Disk filling up"), ("critical", "Database down")));

        var incident = await app.IncidentAsync(id);
        Assert.Equal(("Database down", "critical"), (incident["title"]!.GetValue<string>(), incident["severity"]!.GetValue<string>()));
    }

    [Fact]
    public async Task ReportGrafana_CriticalAlertAfterAWarning_TitleFromTheCriticalAlert()
    {
        await using var app = await TestApp.StartAsync(azurite.ConnectionString, Clocks.At(Api.Now), IncidentKit.Settings(listen: false));
        var payload = Group(("warning", "Disk filling up"), ("critical", "Database down"));
        payload["version"] = "1";
        payload["title"] = "[FIRING:2] (platform)";

        var id = await OpenAsync(app, payload, "/api/incidents/grafana");

        Assert.Equal("Database down", (await app.IncidentAsync(id))["title"]!.GetValue<string>());
    }

    [Fact]
    public async Task ReportAlertmanager_UnknownSeverityInOneAlert_OpensWithTheDefaultSeverityAndTimelineNamesTheWord()
    {
        var settings = IncidentKit.Settings(listen: false);
        settings["OnCall:Incidents:DefaultSeverity"] = "major";
        await using var app = await TestApp.StartAsync(azurite.ConnectionString, Clocks.At(Api.Now), settings);

        var id = await OpenAsync(app, Group(("warning", "Disk filling up"), ("apocalyptic", "Database down")));

        var incident = await app.IncidentAsync(id);
        Assert.Equal("major", incident["severity"]!.GetValue<string>());
        Assert.Contains("'apocalyptic' not known: taken as major", incident["timeline"]![0]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReportGrafana_UnknownSeverity_Returns202WithTheDefaultSeverity()
    {
        await using var app = await TestApp.StartAsync(azurite.ConnectionString, Clocks.At(Api.Now), IncidentKit.Settings(listen: false));
        var payload = Group(("P1-ish", "Database down"));
        payload["version"] = "1";

        var id = await OpenAsync(app, payload, "/api/incidents/grafana");

        Assert.Equal("minor", (await app.IncidentAsync(id))["severity"]!.GetValue<string>());
    }

    /// <summary>The captured firing payload with one alert per (severity, summary) and nothing common but the team.</summary>
    internal static JsonObject Group(params (string Severity, string Summary)[] alerts)
    {
        var payload = JsonNode.Parse(IncidentKit.Fixture("firing.json"))!.AsObject();
        var template = payload["alerts"]![0]!;
        var list = new JsonArray();
        for (var i = 0; i < alerts.Length; i++)
        {
            var alert = template.DeepClone().AsObject();
            alert["labels"]!["severity"] = alerts[i].Severity;
            alert["labels"]!["alertname"] = $"Alert{i}";
            alert["annotations"]!["summary"] = alerts[i].Summary;
            alert["fingerprint"] = $"{i:x16}";
            list.Add(alert);
        }

        payload["alerts"] = list;
        payload["commonLabels"] = new JsonObject { ["team"] = "platform" };
        payload["commonAnnotations"] = new JsonObject();
        return payload;
    }

    private static async Task<string> OpenAsync(TestApp app, JsonObject payload, string path = "/api/incidents/alertmanager") =>
        (await app.ReportOkAsync(payload, path))["id"]!.GetValue<string>();
}
