using OnCall.Core.Incidents;
using OnCall.Core.Ports;
using System.Net;
using OnCall.TestSupport;

namespace OnCall.Functions.Tests.Incidents;

/// <summary>ProcessIncidentEvent against a fake Statuspage, on the real clock (the queue trigger polls with it).</summary>
[Collection(StorageTests.Collection)]
public sealed class StatuspageStepTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Open_Major_CreatesInvestigatingIncidentWithPartialOutage()
    {
        await using var statuspage = await StartAsync();
        await using var app = await TestApp.StartAsync(azurite.ConnectionString, settings: IncidentKit.Settings(statuspage));

        var incident = await app.IncidentWhenAsync(await app.OpenAsync(), i => i.State("statuspage") == "created");

        var created = statuspage.Incidents.Single();
        Assert.Equal(
            ("Database down", "investigating", "major", "partial_outage", incident["statuspage"]!["incidentId"]!.GetValue<string>()),
            (created["name"]!.GetValue<string>(), created["status"]!.GetValue<string>(), created["impact"]!.GetValue<string>(), created["components"]![0]!["status"]!.GetValue<string>(), created["id"]!.GetValue<string>()));
        Assert.Equal(incident["id"]!.GetValue<string>(), created["metadata"]!["oncall"]!["incident"]!.GetValue<string>());
    }

    [Fact]
    public async Task Open_Minor_SkipsStatuspageAndSaysWhyOnTheTimeline()
    {
        await using var statuspage = await StartAsync();
        await using var app = await TestApp.StartAsync(azurite.ConnectionString, settings: IncidentKit.Settings(statuspage));

        var incident = await app.IncidentWhenAsync(await app.OpenAsync(IncidentKit.Generic(severity: "warning")), i => i.State("statuspage") == "skipped");

        Assert.Empty(statuspage.Requests);
        Assert.Contains(incident["timeline"]!.AsArray(), t => t!["message"]!.GetValue<string>().Contains("below the threshold", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Open_StatuspageNotConfigured_TimelineSaysSkipped()
    {
        await using var app = await TestApp.StartAsync(azurite.ConnectionString, settings: IncidentKit.Settings());

        var incident = await app.IncidentWhenAsync(await app.OpenAsync(), i => i.State("statuspage") == "skipped");

        Assert.Contains(incident["timeline"]!.AsArray(), t => t!["message"]!.GetValue<string>() == "Statuspage skipped: the integration is not configured.");
    }

    [Fact]
    public async Task SetStatus_Identified_UpdatesTheStatuspageIncident()
    {
        await using var statuspage = await StartAsync();
        await using var app = await TestApp.StartAsync(azurite.ConnectionString, settings: IncidentKit.Settings(statuspage));
        var id = await app.OpenAsync();
        await app.IncidentWhenAsync(id, i => i.State("statuspage") == "created");

        (await app.SetStatusAsync(id, "identified", "Connection pool exhausted")).Dispose();

        await app.IncidentWhenAsync(id, i => i["statuspage"]!["status"]?.GetValue<string>() == "identified");
        var update = statuspage.Incidents.Single()["incident_updates"]![0]!;
        Assert.Equal(("identified", "Connection pool exhausted"), (update["status"]!.GetValue<string>(), update["body"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Resolve_ResolvesStatuspageAndComponentsOperational()
    {
        await using var statuspage = await StartAsync();
        await using var app = await TestApp.StartAsync(azurite.ConnectionString, settings: IncidentKit.Settings(statuspage));
        var id = await app.OpenAsync();
        await app.IncidentWhenAsync(id, i => i.State("statuspage") == "created");

        await app.ReportOkAsync(IncidentKit.Generic(status: "resolved"));

        await app.IncidentWhenAsync(id, i => i.State("statuspage") == "resolved");
        var resolved = statuspage.Incidents.Single();
        Assert.Equal(("resolved", "operational"), (resolved["status"]!.GetValue<string>(), resolved["components"]![0]!["status"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Open_FiftyConcurrentDuplicates_CreateOneStatuspageIncident()
    {
        await using var statuspage = await StartAsync();
        await using var app = await TestApp.StartAsync(azurite.ConnectionString, settings: IncidentKit.Settings(statuspage));

        var responses = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => app.ReportAsync(IncidentKit.Generic())));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Accepted, r.StatusCode));
        var id = (await Api.BodyAsync(responses[0]))["id"]!.GetValue<string>();
        await app.IncidentWhenAsync(id, i => i.State("statuspage") == "created");
        Assert.True(await Eventually.TrueAsync(async () => await app.QueuedAsync() == 0), "events left unhandled");
        Assert.Single(statuspage.Incidents);
        Assert.Single(statuspage.Requests, r => r.Method == "POST");
    }

    [Fact]
    public async Task Create_429WithRetryAfter_WaitsAsAskedThenCreates()
    {
        await using var statuspage = await StartAsync();
        statuspage.Enqueue(FakeResponse.TooManyRequests(TimeSpan.FromSeconds(2), """{"error":"Rate limit exceeded"}"""));
        await using var app = await TestApp.StartAsync(azurite.ConnectionString, settings: IncidentKit.Settings(statuspage));

        await app.IncidentWhenAsync(await app.OpenAsync(), i => i.State("statuspage") == "created");

        var posts = statuspage.Requests.Where(r => r.Method == "POST").ToList();
        Assert.Equal(2, posts.Count);
        Assert.True(posts[1].ReceivedAt - posts[0].ReceivedAt >= TimeSpan.FromSeconds(1.9), $"retried after {posts[1].ReceivedAt - posts[0].ReceivedAt}");
        Assert.Single(statuspage.Incidents);
    }

    [Fact]
    public async Task Create_429WithPipelineRetries_WaitsAsAskedThenCreates()
    {
        await using var statuspage = await StartAsync();
        statuspage.Enqueue(FakeResponse.TooManyRequests(TimeSpan.FromSeconds(2), """{"error":"Rate limit exceeded"}"""));
        var settings = IncidentKit.Settings(statuspage);
        settings["OnCall:Statuspage:Http:MaxRetryAttempts"] = "1";
        await using var app = await TestApp.StartAsync(azurite.ConnectionString, settings: settings);

        await app.IncidentWhenAsync(await app.OpenAsync(), i => i.State("statuspage") == "created");

        var posts = statuspage.Requests.Where(r => r.Method == "POST").ToList();
        Assert.True(posts[1].ReceivedAt - posts[0].ReceivedAt >= TimeSpan.FromSeconds(1.9), $"retried after {posts[1].ReceivedAt - posts[0].ReceivedAt}");
        Assert.Single(statuspage.Incidents);
    }

    [Fact]
    public async Task Requests_WithDefaultInterval_AreAtLeastASecondApart()
    {
        await using var statuspage = await StartAsync();
        var settings = IncidentKit.Settings(statuspage);
        settings.Remove("OnCall:Statuspage:MinInterval");
        await using var app = await TestApp.StartAsync(azurite.ConnectionString, settings: settings);
        var id = await app.OpenAsync();
        await app.IncidentWhenAsync(id, i => i.State("statuspage") == "created");

        (await app.SetStatusAsync(id, "identified")).Dispose();

        await app.IncidentWhenAsync(id, i => i["statuspage"]!["status"]?.GetValue<string>() == "identified");
        var requests = statuspage.Requests;
        Assert.True(requests[1].ReceivedAt - requests[0].ReceivedAt >= TimeSpan.FromSeconds(0.95), $"{requests[1].ReceivedAt - requests[0].ReceivedAt} apart");
    }

    [Fact]
    public async Task Create_FailingEveryTry_GoesToPoisonAndRequeueRecovers()
    {
        await using var statuspage = await StartAsync();
        statuspage.Enqueue(FakeResponse.Status(500, """{"error":"Internal"}"""), times: 5);
        await using var app = await TestApp.StartAsync(azurite.ConnectionString, settings: IncidentKit.Settings(statuspage));
        var id = await app.OpenAsync();
        Assert.True(await Eventually.TrueAsync(async () => await app.QueuedAsync("incident-events-poison") == 1), "the event did not reach the poison queue");
        var poison = (await app.Admin.GetJsonAsync("/api/ops/poison")).AsArray().Single(q => q!["function"]!.GetValue<string>() == "ProcessIncidentEvent")!;
        Assert.Contains(id, poison["messages"]![0]!["body"]!.GetValue<string>(), StringComparison.Ordinal);

        using var requeue = await app.Admin.PostAsync("/api/ops/poison/ProcessIncidentEvent/requeue", null);

        Assert.Equal(1, (await Api.BodyAsync(requeue))["requeued"]!.GetValue<int>());
        await app.IncidentWhenAsync(id, i => i.State("statuspage") == "created");
        Assert.Single(statuspage.Incidents);
    }

    [Fact]
    public async Task Create_AfterAnAttemptWhoseAnswerWasLost_FindsTheIncidentByMetadataInsteadOfCreatingAnother()
    {
        await using var statuspage = await StartAsync();
        statuspage.Enqueue(FakeResponse.Status(502));
        await using var app = await TestApp.StartAsync(azurite.ConnectionString, settings: IncidentKit.Settings(statuspage, listen: false));
        var id = await app.OpenAsync();
        var lost = statuspage.AddIncident(id, "Database down");
        await app.App.StopAsync();
        await using var worker = await TestApp.StartAsync(azurite.ConnectionString, settings: IncidentKit.Settings(statuspage), prefix: app.Prefix);

        var incident = await worker.IncidentWhenAsync(id, i => i.State("statuspage") == "updated");

        Assert.Equal(lost["id"]!.GetValue<string>(), incident["statuspage"]!["incidentId"]!.GetValue<string>());
        Assert.Single(statuspage.Incidents);
    }

    [Fact]
    public async Task Event_StepClaimedByAWorkerThatDied_IsTakenOverWhenTheClaimLapses()
    {
        await using var statuspage = await StartAsync();
        await using var app = await TestApp.StartAsync(azurite.ConnectionString, settings: IncidentKit.Settings(statuspage, listen: false));
        var id = await app.OpenAsync();
        var repository = app.Service<IIncidentRepository>();
        var stored = (await repository.FindAsync(id))!;
        var claimedAt = stored.Incident.OpenedAt;
        await repository.SaveAsync(stored.Incident with { Statuspage = new StepState(StepStatus.Pending, Target: "investigating", ClaimedAt: claimedAt) }, stored.ETag);
        await app.App.StopAsync();

        await using var worker = await TestApp.StartAsync(azurite.ConnectionString, settings: IncidentKit.Settings(statuspage), prefix: app.Prefix);

        await worker.IncidentWhenAsync(id, i => i.State("statuspage") == "created");
        Assert.Single(statuspage.Incidents);
        Assert.Contains(statuspage.Requests, r => r.Path.EndsWith("/incidents/unresolved", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Requeue_UnknownQueue_Returns404NamingQueue()
    {
        await using var app = await TestApp.StartAsync(azurite.ConnectionString, settings: IncidentKit.Settings(listen: false));

        using var response = await app.Admin.PostAsync("/api/ops/poison/nothing-here/requeue", null);

        await Api.AssertProblemAsync(response, 404, "queue");
    }

    private static async Task<FakeStatuspage> StartAsync()
    {
        var statuspage = new FakeStatuspage();
        await statuspage.StartAsync();
        return statuspage;
    }
}
