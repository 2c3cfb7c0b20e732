using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using OnCall.TestSupport;

namespace OnCall.Functions.Tests.Incidents;

[Collection(StorageTests.Collection)]
public sealed class IncidentBadInputTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Report_MalformedJson_Returns400NamingBody()
    {
        await using var app = await TestApp.StartAsync(azurite.ConnectionString, Clocks.At(Api.Now), IncidentKit.Settings(listen: false));

        using var response = await SendAsync(app, "/api/incidents", Api.Json("{\"title\": "));

        await Api.AssertProblemAsync(response, 400, "body");
    }

    [Fact]
    public async Task Report_JsonArray_Returns400NamingBody()
    {
        await using var app = await TestApp.StartAsync(azurite.ConnectionString, Clocks.At(Api.Now), IncidentKit.Settings(listen: false));

        using var response = await SendAsync(app, "/api/incidents", Api.Json("[]"));

        await Api.AssertProblemAsync(response, 400, "body");
    }

    [Fact]
    public async Task Report_Over256KiB_Returns413()
    {
        await using var app = await TestApp.StartAsync(azurite.ConnectionString, Clocks.At(Api.Now), IncidentKit.Settings(listen: false));
        var body = IncidentKit.Generic();
        body["description"] = new string('x', 300 * 1024);

        using var response = await SendAsync(app, "/api/incidents", Api.Json(body));

        await Api.AssertProblemAsync(response, 413, "body");
    }

    [Fact]
    public async Task Report_Over256KiBChunked_Returns413()
    {
        await using var app = await TestApp.StartAsync(azurite.ConnectionString, Clocks.At(Api.Now), IncidentKit.Settings(listen: false));
        var content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes($"{{\"title\":\"{new string('x', 300 * 1024)}\"}}")));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");

        using var response = await SendAsync(app, "/api/incidents", content, chunked: true);

        await Api.AssertProblemAsync(response, 413);
    }

    [Fact]
    public async Task Report_TextPlain_Returns415()
    {
        await using var app = await TestApp.StartAsync(azurite.ConnectionString, Clocks.At(Api.Now), IncidentKit.Settings(listen: false));

        using var response = await SendAsync(app, "/api/incidents", new StringContent(IncidentKit.Generic().ToJsonString(), Encoding.UTF8, "text/plain"));

        await Api.AssertProblemAsync(response, 415, "Content-Type");
    }

    [Fact]
    public async Task Report_UnknownSeverity_Returns400NamingSeverity()
    {
        await using var app = await TestApp.StartAsync(azurite.ConnectionString, Clocks.At(Api.Now), IncidentKit.Settings(listen: false));

        using var response = await app.ReportAsync(IncidentKit.Generic(severity: "apocalyptic"));

        await Api.AssertProblemAsync(response, 400, "severity");
    }

    [Fact]
    public async Task Report_MissingTitle_Returns400NamingTitle()
    {
        await using var app = await TestApp.StartAsync(azurite.ConnectionString, Clocks.At(Api.Now), IncidentKit.Settings(listen: false));
        var body = IncidentKit.Generic();
        body.Remove("title");

        using var response = await app.ReportAsync(body);

        await Api.AssertProblemAsync(response, 400, "title");
    }

    [Fact]
    public async Task Report_ComponentsNotStrings_Returns400NamingTheItem()
    {
        await using var app = await TestApp.StartAsync(azurite.ConnectionString, Clocks.At(Api.Now), IncidentKit.Settings(listen: false));
        var body = IncidentKit.Generic();
        body["components"] = new JsonArray(42);

        using var response = await app.ReportAsync(body);

        await Api.AssertProblemAsync(response, 400, "components[0]");
    }

    [Fact]
    public async Task ReportAlertmanager_OtherVersion_Returns400NamingVersion()
    {
        await using var app = await TestApp.StartAsync(azurite.ConnectionString, Clocks.At(Api.Now), IncidentKit.Settings(listen: false));
        var payload = JsonNode.Parse(IncidentKit.Fixture("firing.json"))!;
        payload["version"] = "3";

        using var response = await app.ReportAsync(payload, "/api/incidents/alertmanager");

        await Api.AssertProblemAsync(response, 400, "version");
    }

    [Fact]
    public async Task ReportAlertmanager_NoAlerts_Returns400NamingAlerts()
    {
        await using var app = await TestApp.StartAsync(azurite.ConnectionString, Clocks.At(Api.Now), IncidentKit.Settings(listen: false));
        var payload = JsonNode.Parse(IncidentKit.Fixture("firing.json"))!;
        payload["alerts"] = new JsonArray();

        using var response = await app.ReportAsync(payload, "/api/incidents/alertmanager");

        await Api.AssertProblemAsync(response, 400, "alerts");
    }

    [Fact]
    public async Task ReportAlertmanager_TenThousandBadLabels_ErrorsListFiftyAndCountTheRest()
    {
        await using var app = await TestApp.StartAsync(azurite.ConnectionString, Clocks.At(Api.Now), IncidentKit.Settings(listen: false));
        var payload = JsonNode.Parse(IncidentKit.Fixture("firing.json"))!;
        var labels = new JsonObject();
        for (var i = 0; i < 10_000; i++)
        {
            labels[$"l{i}"] = 1;
        }

        payload["commonLabels"] = labels;

        using var response = await app.ReportAsync(payload, "/api/incidents/alertmanager");

        var text = await response.Content.ReadAsStringAsync();
        var problem = JsonNode.Parse(text)!;
        Assert.Equal((400, 50, 9_950), ((int)response.StatusCode, problem["errors"]!.AsObject().Count, problem["moreErrors"]!.GetValue<int>()));
        Assert.True(text.Length < 16 * 1024, $"{text.Length} characters");
    }

    [Fact]
    public async Task ReportAzureMonitor_OtherSchema_Returns400NamingSchemaId()
    {
        await using var app = await TestApp.StartAsync(azurite.ConnectionString, Clocks.At(Api.Now), IncidentKit.Settings(listen: false));
        var payload = AzureMonitorPayloads.Fired();
        payload["schemaId"] = "Microsoft.Insights/activityLogs";

        using var response = await app.ReportAsync(payload, "/api/incidents/azure-monitor");

        await Api.AssertProblemAsync(response, 400, "schemaId");
    }

    [Fact]
    public async Task ReportAzureMonitor_UnknownSeverity_Returns400NamingIt()
    {
        await using var app = await TestApp.StartAsync(azurite.ConnectionString, Clocks.At(Api.Now), IncidentKit.Settings(listen: false));

        using var response = await app.ReportAsync(AzureMonitorPayloads.Fired(severity: "Sev9"), "/api/incidents/azure-monitor");

        await Api.AssertProblemAsync(response, 400, "data.essentials.severity");
    }

    private static async Task<HttpResponseMessage> SendAsync(TestApp app, string path, HttpContent content, bool chunked = false)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = content };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", IncidentKit.Secret);
        request.Headers.TransferEncodingChunked = chunked;
        return await app.Client.SendAsync(request);
    }
}
