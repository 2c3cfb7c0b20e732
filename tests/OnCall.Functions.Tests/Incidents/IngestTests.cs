using System.Net;
using OnCall.TestSupport;

namespace OnCall.Functions.Tests.Incidents;

/// <summary>Opening, deduplicating and resolving through the generic webhook; the queue function is off, so events stay queued.</summary>
[Collection(StorageTests.Collection)]
public sealed class IngestTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Report_NewKey_Returns202OpenAndQueuesAnEvent()
    {
        await using var app = await TestApp.StartAsync(azurite.ConnectionString, Clocks.At(Api.Now), IncidentKit.Settings(listen: false));

        var accepted = await app.ReportOkAsync(IncidentKit.Generic());

        Assert.Equal(("open", false), (accepted["status"]!.GetValue<string>(), accepted["duplicate"]!.GetValue<bool>()));
        Assert.Equal(1, await app.QueuedAsync());
    }

    [Fact]
    public async Task Report_NewKey_CommanderIsPrimaryOnCall()
    {
        await using var app = await TestApp.StartAsync(azurite.ConnectionString, Clocks.At(Api.Now), IncidentKit.Settings(listen: false));
        await app.CreateAsync();

        var incident = await app.IncidentAsync(await app.OpenAsync());

        Assert.Equal(("Lin", "lin@example.com", "platform"), (incident["commander"]!["name"]!.GetValue<string>(), incident["commander"]!["email"]!.GetValue<string>(), incident["rotation"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Report_UnknownRotation_OpensWithoutCommander()
    {
        await using var app = await TestApp.StartAsync(azurite.ConnectionString, Clocks.At(Api.Now), IncidentKit.Settings(listen: false));

        var incident = await app.IncidentAsync(await app.OpenAsync());

        Assert.Null(incident["commander"]);
    }

    [Fact]
    public async Task Report_SameKeyWhileOpen_IsDuplicateOfTheSameIncidentWithTimelineEntry()
    {
        var clock = Clocks.At(Api.Now);
        await using var app = await TestApp.StartAsync(azurite.ConnectionString, clock, IncidentKit.Settings(listen: false));
        var id = await app.OpenAsync();
        clock.Advance(TimeSpan.FromMinutes(1));

        var again = await app.ReportOkAsync(IncidentKit.Generic());

        Assert.Equal((id, true), (again["id"]!.GetValue<string>(), again["duplicate"]!.GetValue<bool>()));
        Assert.Equal(["opened", "alert"], (await app.IncidentAsync(id))["timeline"]!.AsArray().Select(t => t!["kind"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Report_Resolved_ResolvesTheOpenIncident()
    {
        var clock = Clocks.At(Api.Now);
        await using var app = await TestApp.StartAsync(azurite.ConnectionString, clock, IncidentKit.Settings(listen: false));
        var id = await app.OpenAsync();
        clock.Advance(TimeSpan.FromMinutes(20));

        var resolved = await app.ReportOkAsync(IncidentKit.Generic(status: "resolved"));

        Assert.Equal((id, "resolved", false), (resolved["id"]!.GetValue<string>(), resolved["status"]!.GetValue<string>(), resolved["duplicate"]!.GetValue<bool>()));
        Assert.Equal("2026-11-12T12:20:00Z", (await app.IncidentAsync(id))["resolvedAt"]!.GetValue<string>());
    }

    [Fact]
    public async Task Report_ResolvedTwice_SecondIsNoOp()
    {
        await using var app = await TestApp.StartAsync(azurite.ConnectionString, Clocks.At(Api.Now), IncidentKit.Settings(listen: false));
        var id = await app.OpenAsync();
        await app.ReportOkAsync(IncidentKit.Generic(status: "resolved"));

        var again = await app.ReportOkAsync(IncidentKit.Generic(status: "resolved"));

        Assert.Equal((id, true), (again["id"]!.GetValue<string>(), again["duplicate"]!.GetValue<bool>()));
        Assert.Equal(2, (await app.IncidentAsync(id))["timeline"]!.AsArray().Count);
    }

    [Fact]
    public async Task Report_SameKeyAfterResolve_OpensANewIncident()
    {
        await using var app = await TestApp.StartAsync(azurite.ConnectionString, Clocks.At(Api.Now), IncidentKit.Settings(listen: false));
        var first = await app.OpenAsync();
        await app.ReportOkAsync(IncidentKit.Generic(status: "resolved"));

        var second = await app.ReportOkAsync(IncidentKit.Generic());

        Assert.Equal(("open", false), (second["status"]!.GetValue<string>(), second["duplicate"]!.GetValue<bool>()));
        Assert.NotEqual(first, second["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task Report_FiftyConcurrentDuplicates_OpenOneIncident()
    {
        await using var app = await TestApp.StartAsync(azurite.ConnectionString, Clocks.At(Api.Now), IncidentKit.Settings(listen: false));

        var responses = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => app.ReportAsync(IncidentKit.Generic())));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Accepted, r.StatusCode));
        var ids = await Task.WhenAll(responses.Select(async r => (await Api.BodyAsync(r))["id"]!.GetValue<string>()));
        Assert.Single(ids.Distinct());
        Assert.Single((await app.Reader.GetJsonAsync("/api/incidents")).AsArray());
    }
}
