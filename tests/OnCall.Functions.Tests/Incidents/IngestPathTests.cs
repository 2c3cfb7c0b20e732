using OnCall.Infrastructure.Storage;
using OnCall.TestSupport;

namespace OnCall.Functions.Tests.Incidents;

/// <summary>The short ingest path: the commander from recently read rotations, repeats of a key known open, and listing.</summary>
[Collection(StorageTests.Collection)]
public sealed class IngestPathTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Report_AfterAnOverrideWrittenHere_CommanderIsTheOverridesMember()
    {
        await using var app = await TestApp.StartAsync(azurite.ConnectionString, Clocks.At(Api.Now), IncidentKit.Settings(listen: false));
        await app.CreateAsync();
        await app.OpenAsync(IncidentKit.Generic("first"));

        // Sam covers primary now: the rotation read for the first incident must not be the one used for the next.
        (await app.AddOverrideAsync("2026-11-12T00:00:00Z", "2026-11-13T00:00:00Z")).Dispose();
        var incident = await app.IncidentAsync(await app.OpenAsync(IncidentKit.Generic("second")));

        Assert.Equal("sam@example.com", incident["commander"]!["email"]!.GetValue<string>());
    }

    [Fact]
    public async Task Report_RepeatOfAKeyResolvedElsewhere_OpensANewIncident()
    {
        var prefix = AzuriteFixture.NewPrefix();
        await using var here = await TestApp.StartAsync(azurite.ConnectionString, Clocks.At(Api.Now), IncidentKit.Settings(listen: false), prefix);
        await using var elsewhere = await TestApp.StartAsync(azurite.ConnectionString, Clocks.At(Api.Now), IncidentKit.Settings(listen: false), prefix);
        var first = await here.OpenAsync();
        await elsewhere.ReportOkAsync(IncidentKit.Generic(status: "resolved"));

        var again = await here.ReportOkAsync(IncidentKit.Generic());

        Assert.Equal((false, "open"), (again["duplicate"]!.GetValue<bool>(), again["status"]!.GetValue<string>()));
        Assert.NotEqual(first, again["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task Report_RepeatOfAKeyKnownOpen_AddsToTheSameIncident()
    {
        await using var app = await TestApp.StartAsync(azurite.ConnectionString, Clocks.At(Api.Now), IncidentKit.Settings(listen: false));
        var id = await app.OpenAsync();

        var repeat = await app.ReportOkAsync(IncidentKit.Generic());

        Assert.Equal((id, true), (repeat["id"]!.GetValue<string>(), repeat["duplicate"]!.GetValue<bool>()));
        Assert.Equal(2, await app.QueuedAsync());
        Assert.Contains((await app.IncidentAsync(id))["timeline"]!.AsArray(), e => e!["kind"]!.GetValue<string>() == "alert");
    }

    [Fact]
    public async Task ProcessRepeat_IncidentMissingFromTheActiveList_ListsIt()
    {
        await using var app = await TestApp.StartAsync(azurite.ConnectionString, settings: IncidentKit.Settings());
        var id = await app.OpenAsync();

        // An opening whose marker write failed twice (answered 5xx): the incident is stored but not listed.
        var table = await app.Service<TableProvider>().GetAsync(TableIncidentRepository.TableName);
        await table.DeleteEntityAsync(TableIncidentRepository.ActivePartition, id);
        await app.ReportOkAsync(IncidentKit.Generic());

        var listed = await Eventually.TrueAsync(async () =>
            (await app.Admin.GetJsonAsync("/api/incidents?status=active")).AsArray().Any(i => i!["id"]!.GetValue<string>() == id));
        Assert.True(listed);
    }
}
