using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using OnCall.TestSupport;

namespace OnCall.Functions.Tests.Incidents;

[Collection(StorageTests.Collection)]
public sealed class IncidentAuthTests(AzuriteFixture azurite)
{
    private const string Body = """{"title":"Disk full","severity":"minor","dedupKey":"disk"}""";

    [Fact]
    public async Task Report_WithoutSecret_Returns401()
    {
        await using var app = await TestApp.StartAsync(azurite.ConnectionString, Clocks.At(Api.Now), IncidentKit.Settings(listen: false));

        using var response = await app.Client.PostAsync("/api/incidents", Api.Json(Body));

        await Api.AssertProblemAsync(response, 401, "Authorization");
    }

    [Fact]
    public async Task Report_WrongBearer_Returns401()
    {
        await using var app = await TestApp.StartAsync(azurite.ConnectionString, Clocks.At(Api.Now), IncidentKit.Settings(listen: false));
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/incidents") { Content = Api.Json(Body) };
        request.Headers.Authorization = new("Bearer", "not-the-secret");

        using var response = await app.Client.SendAsync(request);

        await Api.AssertProblemAsync(response, 401);
    }

    [Fact]
    public async Task Report_AdminKeyInsteadOfWebhookSecret_Returns401()
    {
        await using var app = await TestApp.StartAsync(azurite.ConnectionString, Clocks.At(Api.Now), IncidentKit.Settings(listen: false));

        using var response = await app.Admin.PostAsync("/api/incidents", Api.Json(Body));

        await Api.AssertProblemAsync(response, 401);
    }

    [Fact]
    public async Task Report_ValidSignature_Returns202()
    {
        await using var app = await TestApp.StartAsync(azurite.ConnectionString, Clocks.At(Api.Now), IncidentKit.Settings(listen: false));

        using var response = await app.Client.SendAsync(Signed(Api.Now, IncidentKit.Secret));

        Assert.Equal(System.Net.HttpStatusCode.Accepted, response.StatusCode);
    }

    [Fact]
    public async Task Report_SignatureOlderThanFiveMinutes_Returns401NamingTimestamp()
    {
        await using var app = await TestApp.StartAsync(azurite.ConnectionString, Clocks.At(Api.Now), IncidentKit.Settings(listen: false));

        using var response = await app.Client.SendAsync(Signed("2026-11-12T11:54:59Z", IncidentKit.Secret));

        await Api.AssertProblemAsync(response, 401, "X-OnCall-Timestamp");
    }

    [Fact]
    public async Task Report_SignatureWithOtherKey_Returns401NamingSignature()
    {
        await using var app = await TestApp.StartAsync(azurite.ConnectionString, Clocks.At(Api.Now), IncidentKit.Settings(listen: false));

        using var response = await app.Client.SendAsync(Signed(Api.Now, "some-other-secret"));

        await Api.AssertProblemAsync(response, 401, "X-OnCall-Signature");
    }

    [Fact]
    public async Task ReportAzureMonitor_CodeInQuery_Returns202()
    {
        await using var app = await TestApp.StartAsync(azurite.ConnectionString, Clocks.At(Api.Now), IncidentKit.Settings(listen: false));

        using var response = await app.Client.PostAsync($"/api/incidents/azure-monitor?code={IncidentKit.Secret}", Api.Json(AzureMonitorPayloads.Fired()));

        Assert.Equal(System.Net.HttpStatusCode.Accepted, response.StatusCode);
    }

    [Fact]
    public async Task ReportGrafana_SourceWithoutSecret_Returns401()
    {
        var settings = IncidentKit.Settings(listen: false);
        settings.Remove("OnCall:WebhookSecrets:Grafana");
        await using var app = await TestApp.StartAsync(azurite.ConnectionString, Clocks.At(Api.Now), settings);

        using var response = await app.ReportAsync(System.Text.Json.Nodes.JsonNode.Parse(IncidentKit.Fixture("firing.json"))!, "/api/incidents/grafana");

        await Api.AssertProblemAsync(response, 401);
    }

    private static HttpRequestMessage Signed(string at, string key)
    {
        var timestamp = DateTimeOffset.Parse(at, CultureInfo.InvariantCulture).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var signature = Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(key), Encoding.UTF8.GetBytes($"{timestamp}.{Body}")));
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/incidents") { Content = Api.Json(Body) };
        request.Headers.Add("X-OnCall-Timestamp", timestamp);
        request.Headers.Add("X-OnCall-Signature", $"sha256={signature}");
        return request;
    }
}
