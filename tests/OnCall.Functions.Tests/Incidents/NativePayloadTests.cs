using System.Text.Json.Nodes;
using OnCall.TestSupport;

namespace OnCall.Functions.Tests.Incidents;

/// <summary>Each sender's own payload, normalised: the captured Alertmanager webhooks, Azure Monitor's and Grafana's.</summary>
[Collection(StorageTests.Collection)]
public sealed class NativePayloadTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task ReportAlertmanager_CapturedFiring_OpensCriticalIncidentForTheTeam()
    {
        await using var app = await TestApp.StartAsync(azurite.ConnectionString, Clocks.At(Api.Now), IncidentKit.Settings(listen: false));

        var id = (await app.ReportOkAsync(JsonNode.Parse(IncidentKit.Fixture("firing.json"))!, "/api/incidents/alertmanager"))["id"]!.GetValue<string>();

        var incident = await app.IncidentAsync(id);
        Assert.Equal(
            ("High error rate of API requests", "critical", "platform", "api", "alertmanager", "{}:{}"),
            (incident["title"]!.GetValue<string>(), incident["severity"]!.GetValue<string>(), incident["rotation"]!.GetValue<string>(), incident["service"]!.GetValue<string>(), incident["source"]!.GetValue<string>(), incident["dedupKey"]!.GetValue<string>()));
    }

    [Fact]
    public async Task ReportAlertmanager_CapturedResolvedAfterFiring_ResolvesTheGroupsIncident()
    {
        await using var app = await TestApp.StartAsync(azurite.ConnectionString, Clocks.At(Api.Now), IncidentKit.Settings(listen: false));
        var id = (await app.ReportOkAsync(JsonNode.Parse(IncidentKit.Fixture("firing.json"))!, "/api/incidents/alertmanager"))["id"]!.GetValue<string>();

        var resolved = await app.ReportOkAsync(JsonNode.Parse(IncidentKit.Fixture("resolved.json"))!, "/api/incidents/alertmanager");

        Assert.Equal((id, "resolved"), (resolved["id"]!.GetValue<string>(), resolved["status"]!.GetValue<string>()));
    }

    [Fact]
    public async Task ReportAlertmanager_GroupStillFiringWithOneAlertResolved_StaysOpen()
    {
        await using var app = await TestApp.StartAsync(azurite.ConnectionString, Clocks.At(Api.Now), IncidentKit.Settings(listen: false));
        var firing = JsonNode.Parse(IncidentKit.Fixture("firing.json"))!.AsObject();
        var id = (await app.ReportOkAsync(firing, "/api/incidents/alertmanager"))["id"]!.GetValue<string>();
        var oneResolved = firing.DeepClone().AsObject();
        var resolvedAlert = oneResolved["alerts"]![0]!.DeepClone();
        resolvedAlert["status"] = "resolved";
        resolvedAlert["fingerprint"] = "0000000000000001";
        oneResolved["alerts"]!.AsArray().Add(resolvedAlert);

        var again = await app.ReportOkAsync(oneResolved, "/api/incidents/alertmanager");

        Assert.Equal((id, "open", true), (again["id"]!.GetValue<string>(), again["status"]!.GetValue<string>(), again["duplicate"]!.GetValue<bool>()));
    }

    [Fact]
    public async Task ReportAzureMonitor_Sev1Fired_OpensCriticalIncidentKeyedByAlertId()
    {
        await using var app = await TestApp.StartAsync(azurite.ConnectionString, Clocks.At(Api.Now), IncidentKit.Settings(listen: false));

        var id = (await app.ReportOkAsync(AzureMonitorPayloads.Fired(), "/api/incidents/azure-monitor"))["id"]!.GetValue<string>();

        var incident = await app.IncidentAsync(id);
        Assert.Equal(("api-5xx-rate", "critical", "azure-monitor"), (incident["title"]!.GetValue<string>(), incident["severity"]!.GetValue<string>(), incident["source"]!.GetValue<string>()));
        Assert.EndsWith("/alerts/b9569717-bc32-442f-add5-83a997729330", incident["dedupKey"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReportAzureMonitor_Resolved_ResolvesTheIncident()
    {
        await using var app = await TestApp.StartAsync(azurite.ConnectionString, Clocks.At(Api.Now), IncidentKit.Settings(listen: false));
        await app.ReportOkAsync(AzureMonitorPayloads.Fired(), "/api/incidents/azure-monitor");

        var resolved = await app.ReportOkAsync(AzureMonitorPayloads.Fired("Resolved"), "/api/incidents/azure-monitor");

        Assert.Equal("resolved", resolved["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task ReportAzureMonitor_Sev3_IsMinor()
    {
        await using var app = await TestApp.StartAsync(azurite.ConnectionString, Clocks.At(Api.Now), IncidentKit.Settings(listen: false));

        var id = (await app.ReportOkAsync(AzureMonitorPayloads.Fired(severity: "Sev3"), "/api/incidents/azure-monitor"))["id"]!.GetValue<string>();

        Assert.Equal("minor", (await app.IncidentAsync(id))["severity"]!.GetValue<string>());
    }

    [Fact]
    public async Task ReportGrafana_AlertmanagerShapedPayload_TitleFromTheAlertNotGrafanasGroupTitle()
    {
        await using var app = await TestApp.StartAsync(azurite.ConnectionString, Clocks.At(Api.Now), IncidentKit.Settings(listen: false));
        var payload = JsonNode.Parse(IncidentKit.Fixture("firing.json"))!.AsObject();
        payload["version"] = "1";
        payload["title"] = "[FIRING:1] HighErrorRate api";
        payload["orgId"] = 1;

        var id = (await app.ReportOkAsync(payload, "/api/incidents/grafana"))["id"]!.GetValue<string>();

        var incident = await app.IncidentAsync(id);
        Assert.Equal(("High error rate of API requests", "grafana"), (incident["title"]!.GetValue<string>(), incident["source"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Report_ConfiguredSeverityWord_IsMapped()
    {
        var settings = IncidentKit.Settings(listen: false);
        settings["OnCall:Incidents:Severities:page"] = "critical";
        await using var app = await TestApp.StartAsync(azurite.ConnectionString, Clocks.At(Api.Now), settings);

        var id = await app.OpenAsync(IncidentKit.Generic(severity: "page"));

        Assert.Equal("critical", (await app.IncidentAsync(id))["severity"]!.GetValue<string>());
    }
}
