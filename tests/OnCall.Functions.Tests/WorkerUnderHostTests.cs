using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Azure.Storage.Queues;
using OnCall.Functions.Catalogue;
using OnCall.Functions.Tests.Incidents;
using OnCall.FunctionsHostFake;
using OnCall.TestSupport;

namespace OnCall.Functions.Tests;

/// <summary>
/// The built app started as the Functions host starts an isolated worker, and driven over the host's own gRPC
/// protocol by <see cref="FakeFunctionsHost"/>: indexing, HTTP through the worker's ASP.NET Core proxying, the queue
/// message handed over as the host hands it, and a timer. What no Functions host runs here, this shows from the
/// worker's side.
/// </summary>
[Collection(StorageTests.Collection)]
public sealed class WorkerUnderHostTests(AzuriteFixture azurite)
{
    private const string PublicBaseUrl = "https://oncall.example.com/";

    [Fact]
    public async Task Start_IndexesEveryCatalogueFunctionWithoutErrors()
    {
        await using var host = await StartAsync();

        Assert.Equal(FunctionCatalogue.Default.All.Select(f => f.Name).Order(StringComparer.Ordinal), host.Functions.Select(f => f.Name).Order(StringComparer.Ordinal));
        Assert.Empty(host.FunctionErrors);
    }

    [Fact]
    public async Task Http_PutRotationWithAdminKey_CreatedWithFeedUrlAtPublicBaseUrl()
    {
        await using var host = await StartAsync();

        var (response, result) = await host.InvokeHttpAsync("PutRotation", Put(TestApp.AdminKey));

        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"{response.StatusCode} {body}\n{result}\n{host.WorkerOutput}");
        Assert.StartsWith($"{PublicBaseUrl}api/rotations/platform/calendar.ics?token=", JsonNode.Parse(body)!["feedUrl"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Http_PutRotationWithReadKey_Is403ProblemFromTheApp()
    {
        // Anonymous at the host, so the read-only key works in Azure too: the app itself refuses it a write.
        await using var host = await StartAsync();

        var (response, _) = await host.InvokeHttpAsync("PutRotation", Put(TestApp.ReadKey));

        await Api.AssertProblemAsync(response, 403, "x-functions-key");
    }

    [Fact]
    public async Task Http_GetRotationsWithoutKey_Is401Problem()
    {
        await using var host = await StartAsync();

        var (response, _) = await host.InvokeHttpAsync("ListRotations", new HttpRequestMessage(HttpMethod.Get, "/api/rotations"));

        await Api.AssertProblemAsync(response, 401, "x-functions-key");
    }

    [Fact]
    public async Task Queue_EventAWebhookQueued_ProcessedWhenHandedOverAsTheHostDoes()
    {
        var prefix = AzuriteFixture.NewPrefix();
        await using var host = await StartAsync(prefix);
        using var report = new HttpRequestMessage(HttpMethod.Post, "/api/incidents") { Content = Api.Json(IncidentKit.Generic()) };
        report.Headers.Authorization = new AuthenticationHeaderValue("Bearer", IncidentKit.Secret);
        var (accepted, _) = await host.InvokeHttpAsync("ReportIncident", report);
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        var incidentId = JsonNode.Parse(await accepted.Content.ReadAsStringAsync())!["id"]!.GetValue<string>();

        // The host's queue trigger decodes the Base64 message and passes its text; nothing else reads this queue here.
        var queue = new QueueClient(azurite.ConnectionString, $"{prefix}-incident-events", new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });
        var message = Assert.Single((await queue.ReceiveMessagesAsync(32)).Value);
        var result = await host.InvokeQueueAsync("ProcessIncidentEvent", message.Body.ToString(), message.MessageId, message.DequeueCount);

        Assert.True(result.Succeeded, $"{result}\n{host.WorkerOutput}");
        var (read, _) = await host.InvokeHttpAsync("GetIncident", Get($"/api/incidents/{incidentId}", TestApp.ReadKey));
        var incident = JsonNode.Parse(await read.Content.ReadAsStringAsync())!;
        Assert.Equal("skipped", incident["statuspage"]!["state"]!.GetValue<string>());
    }

    [Fact]
    public async Task Queue_MessageNotAnIncidentEvent_FailsTheInvocationSoTheHostRetries()
    {
        await using var host = await StartAsync();

        var result = await host.InvokeQueueAsync("ProcessIncidentEvent", "not json", "m-1", 1);

        Assert.False(result.Succeeded);
    }

    [Fact]
    public async Task Timer_PlanHandoffs_Succeeds()
    {
        await using var host = await StartAsync();

        var result = await host.InvokeTimerAsync("PlanHandoffs");

        Assert.True(result.Succeeded, $"{result}\n{host.WorkerOutput}");
    }

    [Fact]
    public async Task Http_OpsRunTimer_RunsUnderTheHost()
    {
        // The host refuses routes under admin/ and runtime/; ops/ is served.
        await using var host = await StartAsync();

        var (response, _) = await host.InvokeHttpAsync("RunTimer", new HttpRequestMessage(HttpMethod.Post, "/api/ops/run/PruneFeedLedger") { Headers = { { "x-functions-key", TestApp.AdminKey } } });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private async Task<FakeFunctionsHost> StartAsync(string? prefix = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["FUNCTIONS_WORKER_RUNTIME"] = "dotnet-isolated",
            ["AzureWebJobsStorage"] = azurite.ConnectionString,
            ["OnCall__Storage__Prefix"] = prefix ?? AzuriteFixture.NewPrefix(),
            ["OnCall__AdminKey"] = TestApp.AdminKey,
            ["OnCall__ReadKey"] = TestApp.ReadKey,
            ["OnCall__PublicBaseUrl"] = PublicBaseUrl,
            ["OnCall__WebhookSecrets__Generic"] = IncidentKit.Secret,
            ["OnCall__Incidents__DefaultRotation"] = "platform",
        };
        foreach (var timer in FunctionCatalogue.Default.Timers)
        {
            settings[timer.ScheduleAppSetting] = timer.DefaultSchedule;
        }

        return await FakeFunctionsHost.StartAsync(FakeHostOptions.FromWorkerConfig(Path.GetDirectoryName(FunctionsMetadata.BuildOutputFile)!, settings));
    }

    private static HttpRequestMessage Put(string key) =>
        new(HttpMethod.Put, "/api/rotations/platform") { Content = Api.Json(Api.Rotation()), Headers = { { "x-functions-key", key } } };

    private static HttpRequestMessage Get(string path, string key) =>
        new(HttpMethod.Get, path) { Headers = { { "x-functions-key", key } } };
}
