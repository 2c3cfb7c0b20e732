using System.Text.Json.Nodes;
using OnCall.TestSupport;

namespace OnCall.Functions.Tests.Incidents;

/// <summary>A webhook secret is bound to its source: the generic webhook cannot reach another sender's incidents.</summary>
[Collection(StorageTests.Collection)]
public sealed class WebhookSourceBindingTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Report_ResolvedNamingAlertmanagerAndItsGroupKey_Returns403AndIncidentStaysOpen()
    {
        await using var app = await TestApp.StartAsync(azurite.ConnectionString, Clocks.At(Api.Now), IncidentKit.Settings(listen: false));
        var id = (await app.ReportOkAsync(JsonNode.Parse(IncidentKit.Fixture("firing.json"))!, "/api/incidents/alertmanager"))["id"]!.GetValue<string>();

        using var response = await app.ReportAsync(AsAlertmanager(IncidentKit.Generic("{}:{}", status: "resolved")));

        await Api.AssertProblemAsync(response, 403, "source");
        Assert.Equal("open", (await app.IncidentAsync(id))["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Report_FiringNamingAlertmanagerAndItsGroupKey_Returns403AndTimelineUnchanged()
    {
        await using var app = await TestApp.StartAsync(azurite.ConnectionString, Clocks.At(Api.Now), IncidentKit.Settings(listen: false));
        var id = (await app.ReportOkAsync(JsonNode.Parse(IncidentKit.Fixture("firing.json"))!, "/api/incidents/alertmanager"))["id"]!.GetValue<string>();

        using var response = await app.ReportAsync(AsAlertmanager(IncidentKit.Generic("{}:{}")));

        await Api.AssertProblemAsync(response, 403, "source");
        Assert.Single((await app.IncidentAsync(id))["timeline"]!.AsArray());
    }

    [Fact]
    public async Task Report_NamingGrafana_Returns403AndOpensNothing()
    {
        await using var app = await TestApp.StartAsync(azurite.ConnectionString, Clocks.At(Api.Now), IncidentKit.Settings(listen: false));
        var body = IncidentKit.Generic();
        body["source"] = "Grafana";

        using var response = await app.ReportAsync(body);

        await Api.AssertProblemAsync(response, 403, "source");
        Assert.Empty((await app.Reader.GetJsonAsync("/api/incidents")).AsArray());
    }

    [Fact]
    public async Task Report_ResolvedWithoutSourceAndAlertmanagersGroupKey_LeavesAlertmanagersIncidentOpen()
    {
        await using var app = await TestApp.StartAsync(azurite.ConnectionString, Clocks.At(Api.Now), IncidentKit.Settings(listen: false));
        var id = (await app.ReportOkAsync(JsonNode.Parse(IncidentKit.Fixture("firing.json"))!, "/api/incidents/alertmanager"))["id"]!.GetValue<string>();

        await app.ReportOkAsync(IncidentKit.Generic("{}:{}", status: "resolved"));

        Assert.Equal("open", (await app.IncidentAsync(id))["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Report_SourceNamingAScript_OpensAGenericIncident()
    {
        await using var app = await TestApp.StartAsync(azurite.ConnectionString, Clocks.At(Api.Now), IncidentKit.Settings(listen: false));
        var body = IncidentKit.Generic();
        body["source"] = "backup-cron";

        var id = await app.OpenAsync(body);

        Assert.Equal("generic", (await app.IncidentAsync(id))["source"]!.GetValue<string>());
    }

    private static JsonObject AsAlertmanager(JsonObject body)
    {
        body["source"] = "alertmanager";
        return body;
    }
}
