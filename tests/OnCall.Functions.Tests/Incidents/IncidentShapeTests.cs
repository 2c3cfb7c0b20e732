using System.Net;
using OnCall.TestSupport;

namespace OnCall.Functions.Tests.Incidents;

/// <summary>Payloads that parse as JSON but not as the sender's shape, and text that is long once stored: never a 500.</summary>
[Collection(StorageTests.Collection)]
public sealed class IncidentShapeTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task ReportAzureMonitor_DataIsAnArray_Returns400NamingBody()
    {
        await using var app = await TestApp.StartAsync(azurite.ConnectionString, Clocks.At(Api.Now), IncidentKit.Settings(listen: false));
        var payload = AzureMonitorPayloads.Fired();
        payload["data"] = new System.Text.Json.Nodes.JsonArray(1, 2);

        using var response = await app.ReportAsync(payload, "/api/incidents/azure-monitor");

        await Api.AssertProblemAsync(response, 400, "body");
    }

    [Fact]
    public async Task Report_RepeatedPropertyName_Returns400NamingBody()
    {
        await using var app = await TestApp.StartAsync(azurite.ConnectionString, Clocks.At(Api.Now), IncidentKit.Settings(listen: false));
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/incidents")
        {
            Content = Api.Json("""{"title":"a","title":"b","severity":"major","dedupKey":"k","source":"s","service":"db"}"""),
        };
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", IncidentKit.Secret);

        using var response = await app.Client.SendAsync(request);

        await Api.AssertProblemAsync(response, 400, "body");
    }

    [Fact]
    public async Task Report_LongNonAsciiDescription_Stored()
    {
        await using var app = await TestApp.StartAsync(azurite.ConnectionString, Clocks.At(Api.Now), IncidentKit.Settings(listen: false));
        var body = IncidentKit.Generic();
        body["description"] = new string('é', 10_000);

        var id = await app.OpenAsync(body);

        Assert.Equal(10_000, (await app.IncidentAsync(id))["description"]!.GetValue<string>().Length);
    }

    [Fact]
    public async Task SetStatus_TextTooLongToStore_Returns413NotA500()
    {
        await using var app = await TestApp.StartAsync(azurite.ConnectionString, Clocks.At(Api.Now), IncidentKit.Settings(listen: false));
        var body = IncidentKit.Generic();
        body["description"] = new string('"', 10_000);
        var id = await app.OpenAsync(body);

        using var response = await app.SetStatusAsync(id, "investigating", new string('\\', 10_000));

        await Api.AssertProblemAsync(response, 413, "description");
    }

    [Fact]
    public async Task Report_TextTooLongToStore_Returns413TitledForIncidents()
    {
        await using var app = await TestApp.StartAsync(azurite.ConnectionString, Clocks.At(Api.Now), IncidentKit.Settings(listen: false));
        var body = IncidentKit.Generic();
        body["description"] = new string('"', 10_000);
        body["components"] = new System.Text.Json.Nodes.JsonArray(Enumerable.Range(0, 50).Select(i => (System.Text.Json.Nodes.JsonNode?)$"{i}{new string('"', 190)}").ToArray());

        using var response = await app.ReportAsync(body);

        await Api.AssertProblemAsync(response, 413, "description");
        Assert.Equal("Incident too large to store", (await Api.BodyAsync(response))["title"]!.GetValue<string>());
    }

    [Fact]
    public async Task SetStatus_SameStatusAgain_200AndEventQueuedAgain()
    {
        await using var app = await TestApp.StartAsync(azurite.ConnectionString, Clocks.At(Api.Now), IncidentKit.Settings(listen: false));
        var id = await app.OpenAsync();
        using (var first = await app.SetStatusAsync(id, "acknowledged"))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        }

        var queued = await app.QueuedAsync();

        using var again = await app.SetStatusAsync(id, "acknowledged");

        Assert.Equal((HttpStatusCode.OK, queued + 1), (again.StatusCode, await app.QueuedAsync()));
    }

    [Fact]
    public async Task Report_ResolvedAgain_ResolvedEventQueuedAgainForTheClosedIncident()
    {
        await using var app = await TestApp.StartAsync(azurite.ConnectionString, Clocks.At(Api.Now), IncidentKit.Settings(listen: false));
        await app.OpenAsync();
        await app.ReportOkAsync(IncidentKit.Generic(status: "resolved"));
        var queued = await app.QueuedAsync();

        await app.ReportOkAsync(IncidentKit.Generic(status: "resolved"));

        Assert.Equal(queued + 1, await app.QueuedAsync());
    }
}
