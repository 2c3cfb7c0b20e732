using Azure.Data.Tables;
using OnCall.Core.Incidents;
using OnCall.Core.Ports;
using OnCall.Infrastructure.Storage;
using OnCall.TestSupport;

namespace OnCall.Functions.Tests.Incidents;

/// <summary><c>GET /api/incidents?status=active</c>: the page's list, read from the index of active incidents.</summary>
[Collection(StorageTests.Collection)]
public sealed class ActiveIncidentsTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task List_StatusActive_OmitsResolvedAndCanceled()
    {
        await using var app = await StartAsync();
        var open = await app.OpenAsync(IncidentKit.Generic("a"));
        var resolved = await app.OpenAsync(IncidentKit.Generic("b"));
        var canceled = await app.OpenAsync(IncidentKit.Generic("c"));
        (await app.SetStatusAsync(resolved, "resolved")).Dispose();
        (await app.SetStatusAsync(canceled, "canceled")).Dispose();

        Assert.Equal([open], await ActiveIdsAsync(app));
    }

    [Fact]
    public async Task List_StatusActive_SkipsAMarkerWhoseIncidentNeverCameToBe()
    {
        await using var app = await StartAsync();
        var open = await app.OpenAsync();
        var table = await app.Service<TableProvider>().GetAsync(TableIncidentRepository.TableName);
        await table.AddEntityAsync(new TableEntity(TableIncidentRepository.ActivePartition, open[..(open.LastIndexOf('-') + 1)] + "000000") { ["RotationId"] = "platform" });

        Assert.Equal([open], await ActiveIdsAsync(app));
    }

    [Fact]
    public async Task List_StatusActive_DropsTheMarkerOfAClosedIncident()
    {
        await using var app = await StartAsync();
        var id = await app.OpenAsync();
        (await app.SetStatusAsync(id, "resolved")).Dispose();
        var table = await app.Service<TableProvider>().GetAsync(TableIncidentRepository.TableName);

        // As if the closer had stopped between closing the incident and removing its marker.
        await table.AddEntityAsync(new TableEntity(TableIncidentRepository.ActivePartition, id) { ["RotationId"] = "platform" });

        Assert.Empty(await ActiveIdsAsync(app));
        Assert.False((await table.GetEntityIfExistsAsync<TableEntity>(TableIncidentRepository.ActivePartition, id)).HasValue, "the stale marker is still there");
    }

    [Fact]
    public async Task List_StatusOfAnActiveIncident_ComesFromTheIndexAndMatchesTheStatus()
    {
        await using var app = await StartAsync();
        var investigating = await app.OpenAsync(IncidentKit.Generic("a"));
        await app.OpenAsync(IncidentKit.Generic("b"));
        (await app.SetStatusAsync(investigating, "investigating")).Dispose();

        var list = await app.Admin.GetJsonAsync("/api/incidents?status=investigating");

        Assert.Equal([investigating], list.AsArray().Select(i => i!["id"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Open_RetriedAfterItWentThrough_IsTakenAsOpenedAndKeepsItsMarker()
    {
        await using var app = await StartAsync();
        var id = await app.OpenAsync();
        var repository = app.Service<IIncidentRepository>();
        var stored = (await repository.FindAsync(id))!;

        // What the storage client's retry of a transaction whose answer was lost looks like: the same opening again.
        var opened = await repository.OpenAsync(stored.Incident, new TimelineEntry(stored.Incident.OpenedAt, TimelineKind.Opened, "again", "generic"));

        Assert.True(opened);
        Assert.Equal([id], await ActiveIdsAsync(app));
    }

    private Task<TestApp> StartAsync() =>
        TestApp.StartAsync(azurite.ConnectionString, Clocks.At(Api.Now), IncidentKit.Settings(listen: false));

    private static async Task<List<string>> ActiveIdsAsync(TestApp app) =>
        [.. (await app.Admin.GetJsonAsync("/api/incidents?status=active")).AsArray().Select(i => i!["id"]!.GetValue<string>())];
}
