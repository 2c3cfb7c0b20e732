using OnCall.TestSupport;

namespace OnCall.Functions.Tests.Incidents;

/// <summary>Reads and status changes through the keyed API.</summary>
[Collection(StorageTests.Collection)]
public sealed class IncidentReadTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task List_ReturnsPlainArrayWithoutTimelines()
    {
        await using var app = await TestApp.StartAsync(azurite.ConnectionString, Clocks.At(Api.Now), IncidentKit.Settings(listen: false));
        var id = await app.OpenAsync();

        var list = (await app.Reader.GetJsonAsync("/api/incidents")).AsArray();

        Assert.Equal(id, list.Single()!["id"]!.GetValue<string>());
        Assert.Null(list.Single()!["timeline"]);
    }

    [Fact]
    public async Task List_StatusFilter_ReturnsOnlyThatStatus()
    {
        await using var app = await TestApp.StartAsync(azurite.ConnectionString, Clocks.At(Api.Now), IncidentKit.Settings(listen: false));
        await app.OpenAsync(IncidentKit.Generic("a"));
        var b = await app.OpenAsync(IncidentKit.Generic("b"));
        await app.ReportOkAsync(IncidentKit.Generic("b", status: "resolved"));

        var resolved = (await app.Reader.GetJsonAsync("/api/incidents?status=resolved")).AsArray();

        Assert.Equal([b], resolved.Select(i => i!["id"]!.GetValue<string>()));
    }

    [Fact]
    public async Task List_UnknownStatus_Returns400NamingStatus()
    {
        await using var app = await TestApp.StartAsync(azurite.ConnectionString, Clocks.At(Api.Now), IncidentKit.Settings(listen: false));

        using var response = await app.Reader.GetAsync("/api/incidents?status=sleeping");

        await Api.AssertProblemAsync(response, 400, "status");
    }

    [Fact]
    public async Task List_WithoutKey_Returns401()
    {
        await using var app = await TestApp.StartAsync(azurite.ConnectionString, Clocks.At(Api.Now), IncidentKit.Settings(listen: false));

        using var response = await app.Client.GetAsync("/api/incidents");

        await Api.AssertProblemAsync(response, 401);
    }

    [Fact]
    public async Task Get_UnknownId_Returns404()
    {
        await using var app = await TestApp.StartAsync(azurite.ConnectionString, Clocks.At(Api.Now), IncidentKit.Settings(listen: false));

        using var response = await app.Reader.GetAsync("/api/incidents/20261112120000-0123456789abcdef-abcdef");

        await Api.AssertProblemAsync(response, 404);
    }

    [Fact]
    public async Task Get_Open_ShowsEveryStepAndTheTimeline()
    {
        await using var app = await TestApp.StartAsync(azurite.ConnectionString, Clocks.At(Api.Now), IncidentKit.Settings(listen: false));

        var incident = await app.IncidentAsync(await app.OpenAsync());

        Assert.Equal(
            ("open", "major", "none", "none", "opened", Api.Now),
            (incident["status"]!.GetValue<string>(), incident["severity"]!.GetValue<string>(), incident.State("statuspage"), incident.State("postMortem"), incident["timeline"]![0]!["kind"]!.GetValue<string>(), incident["openedAt"]!.GetValue<string>()));
    }

    [Fact]
    public async Task SetStatus_Investigating_MovesAndRecordsTheMessage()
    {
        var clock = Clocks.At(Api.Now);
        await using var app = await TestApp.StartAsync(azurite.ConnectionString, clock, IncidentKit.Settings(listen: false));
        var id = await app.OpenAsync();
        clock.Advance(TimeSpan.FromMinutes(3));

        using var response = await app.SetStatusAsync(id, "investigating", "Looking at the connection pool");

        var incident = await Api.BodyAsync(response);
        Assert.Equal(("investigating", "Looking at the connection pool"), (incident["status"]!.GetValue<string>(), incident["timeline"]![1]!["message"]!.GetValue<string>()));
    }

    [Fact]
    public async Task SetStatus_WithoutBy_TimelineEntryIsByTheAdminKey()
    {
        await using var app = await TestApp.StartAsync(azurite.ConnectionString, Clocks.At(Api.Now), IncidentKit.Settings(listen: false));
        var id = await app.OpenAsync();

        using var response = await app.SetStatusAsync(id, "investigating");

        Assert.Equal(["generic", "admin"], (await Api.BodyAsync(response))["timeline"]!.AsArray().Select(t => t!["by"]?.GetValue<string>()));
    }

    [Fact]
    public async Task SetStatus_AfterResolved_Returns409NamingStatus()
    {
        await using var app = await TestApp.StartAsync(azurite.ConnectionString, Clocks.At(Api.Now), IncidentKit.Settings(listen: false));
        var id = await app.OpenAsync();
        (await app.SetStatusAsync(id, "resolved")).Dispose();

        using var response = await app.SetStatusAsync(id, "monitoring");

        await Api.AssertProblemAsync(response, 409, "status");
    }

    [Fact]
    public async Task SetStatus_BackToOpen_Returns409()
    {
        await using var app = await TestApp.StartAsync(azurite.ConnectionString, Clocks.At(Api.Now), IncidentKit.Settings(listen: false));
        var id = await app.OpenAsync();
        (await app.SetStatusAsync(id, "investigating")).Dispose();

        using var response = await app.SetStatusAsync(id, "open");

        await Api.AssertProblemAsync(response, 409, "status");
    }

    [Fact]
    public async Task SetStatus_UnknownStatus_Returns400NamingStatus()
    {
        await using var app = await TestApp.StartAsync(azurite.ConnectionString, Clocks.At(Api.Now), IncidentKit.Settings(listen: false));
        var id = await app.OpenAsync();

        using var response = await app.SetStatusAsync(id, "panicking");

        await Api.AssertProblemAsync(response, 400, "status");
    }

    [Fact]
    public async Task SetStatus_WithReadKey_Returns403()
    {
        await using var app = await TestApp.StartAsync(azurite.ConnectionString, Clocks.At(Api.Now), IncidentKit.Settings(listen: false));
        var id = await app.OpenAsync();

        using var response = await app.Reader.PostAsync($"/api/incidents/{id}/status", Api.Json("""{"status":"investigating"}"""));

        await Api.AssertProblemAsync(response, 403);
    }

    [Fact]
    public async Task SetStatus_Resolved_NextAlertOfTheKeyOpensANewIncident()
    {
        await using var app = await TestApp.StartAsync(azurite.ConnectionString, Clocks.At(Api.Now), IncidentKit.Settings(listen: false));
        var id = await app.OpenAsync();
        (await app.SetStatusAsync(id, "resolved")).Dispose();

        var next = await app.ReportOkAsync(IncidentKit.Generic());

        Assert.NotEqual(id, next["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task ListOpen_OfRotation_ReturnsOnlyItsOpenIncidentsWithCommander()
    {
        await using var app = await TestApp.StartAsync(azurite.ConnectionString, Clocks.At(Api.Now), IncidentKit.Settings(listen: false));
        await app.CreateAsync();
        var open = await app.OpenAsync(IncidentKit.Generic("a"));
        var closed = await app.OpenAsync(IncidentKit.Generic("b"));
        (await app.SetStatusAsync(closed, "canceled")).Dispose();

        var list = await app.Service<Core.Incidents.IncidentService>().ListActiveAsync("platform");

        Assert.Equal([(open, "Lin")], list.Select(i => (i.Id, i.Commander!.Name)));
    }
}
