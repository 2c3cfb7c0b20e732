using System.Text.Json.Nodes;
using OnCall.TestSupport;

namespace OnCall.Functions.Tests.Incidents;

/// <summary>Only absolute http(s) links are stored: refused from a script, dropped with a note from a native sender.</summary>
[Collection(StorageTests.Collection)]
public sealed class IncidentLinkTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Report_JavaScriptLink_Returns400NamingLink()
    {
        await using var app = await TestApp.StartAsync(azurite.ConnectionString, Clocks.At(Api.Now), IncidentKit.Settings(listen: false));
        var body = IncidentKit.Generic();
        body["link"] = "javascript:alert(document.cookie)";

        using var response = await app.ReportAsync(body);

        await Api.AssertProblemAsync(response, 400, "link");
    }

    [Fact]
    public async Task Report_RelativeLink_Returns400NamingLink()
    {
        await using var app = await TestApp.StartAsync(azurite.ConnectionString, Clocks.At(Api.Now), IncidentKit.Settings(listen: false));
        var body = IncidentKit.Generic();
        body["link"] = "/dashboards/db";

        using var response = await app.ReportAsync(body);

        await Api.AssertProblemAsync(response, 400, "link");
    }

    [Fact]
    public async Task Report_HttpsLink_IsStored()
    {
        await using var app = await TestApp.StartAsync(azurite.ConnectionString, Clocks.At(Api.Now), IncidentKit.Settings(listen: false));
        var body = IncidentKit.Generic();
        body["link"] = "https://grafana.example/d/db";

        var id = await app.OpenAsync(body);

        Assert.Equal("https://grafana.example/d/db", (await app.IncidentAsync(id))["link"]!.GetValue<string>());
    }

    [Fact]
    public async Task ReportAlertmanager_JavaScriptGeneratorUrl_OpensWithTheExternalUrlAndTimelineSaysWhy()
    {
        await using var app = await TestApp.StartAsync(azurite.ConnectionString, Clocks.At(Api.Now), IncidentKit.Settings(listen: false));
        var payload = JsonNode.Parse(IncidentKit.Fixture("firing.json"))!;
        payload["alerts"]![0]!["generatorURL"] = "javascript:alert(1)";

        var id = (await app.ReportOkAsync(payload, "/api/incidents/alertmanager"))["id"]!.GetValue<string>();

        var incident = await app.IncidentAsync(id);
        Assert.Equal("http://vm:19093", incident["link"]!.GetValue<string>());
        Assert.Contains("generatorURL dropped", incident["timeline"]![0]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReportGrafana_NoShowableLink_OpensWithoutLink()
    {
        await using var app = await TestApp.StartAsync(azurite.ConnectionString, Clocks.At(Api.Now), IncidentKit.Settings(listen: false));
        var payload = JsonNode.Parse(IncidentKit.Fixture("firing.json"))!;
        payload["version"] = "1";
        payload["externalURL"] = "data:text/html,<script>alert(1)</script>";

        var id = (await app.ReportOkAsync(payload, "/api/incidents/grafana"))["id"]!.GetValue<string>();

        var incident = await app.IncidentAsync(id);
        Assert.Null(incident["link"]);
        Assert.Contains("externalURL dropped", incident["timeline"]![0]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReportAlertmanager_GeneratorUrl_IsTheLink()
    {
        await using var app = await TestApp.StartAsync(azurite.ConnectionString, Clocks.At(Api.Now), IncidentKit.Settings(listen: false));
        var payload = JsonNode.Parse(IncidentKit.Fixture("firing.json"))!;
        payload["alerts"]![0]!["generatorURL"] = "http://prometheus:9090/graph?g0.expr=up";

        var id = (await app.ReportOkAsync(payload, "/api/incidents/alertmanager"))["id"]!.GetValue<string>();

        Assert.Equal("http://prometheus:9090/graph?g0.expr=up", (await app.IncidentAsync(id))["link"]!.GetValue<string>());
    }
}
