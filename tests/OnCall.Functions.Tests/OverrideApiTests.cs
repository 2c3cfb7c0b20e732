using System.Net;
using OnCall.TestSupport;

namespace OnCall.Functions.Tests;

[Collection(StorageTests.Collection)]
public sealed class OverrideApiTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task AddOverride_Valid_WinsOverRotation()
    {
        await using var app = await TestApp.StartAsync(azurite.ConnectionString);
        await app.CreateAsync();

        using var response = await app.AddOverrideAsync("2026-11-04T15:00:00Z", "2026-11-05T15:00:00Z");

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await app.Reader.GetJsonAsync("/api/rotations/platform/oncall?at=2026-11-04T20:00:00Z");
        Assert.Equal(("Sam", true), (body["onCall"]![0]!["member"]!["name"]!.GetValue<string>(), body["onCall"]![0]!["override"]!.GetValue<bool>()));
    }

    [Fact]
    public async Task AddOverride_OverlappingOnSameLayer_Returns409()
    {
        await using var app = await TestApp.StartAsync(azurite.ConnectionString);
        await app.CreateAsync();
        (await app.AddOverrideAsync("2026-11-04T15:00:00Z", "2026-11-05T15:00:00Z")).Dispose();

        using var response = await app.AddOverrideAsync("2026-11-05T00:00:00Z", "2026-11-06T00:00:00Z");

        await Api.AssertProblemAsync(response, 409, "start");
    }

    [Fact]
    public async Task AddOverride_SameRangeOnOtherLayer_Returns201()
    {
        await using var app = await TestApp.StartAsync(azurite.ConnectionString);
        await app.CreateAsync();
        (await app.AddOverrideAsync("2026-11-04T15:00:00Z", "2026-11-05T15:00:00Z")).Dispose();

        using var response = await app.AddOverrideAsync("2026-11-04T15:00:00Z", "2026-11-05T15:00:00Z", layer: "secondary");

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Fact]
    public async Task AddOverride_ConcurrentOverlapping_OnlyOneLands()
    {
        await using var app = await TestApp.StartAsync(azurite.ConnectionString);
        await app.CreateAsync();

        var responses = await Task.WhenAll(Enumerable.Range(0, 6).Select(i =>
            app.AddOverrideAsync($"2026-11-04T1{i}:00:00Z", "2026-11-05T15:00:00Z", name: $"Sam{i}")));

        Assert.Equal(1, responses.Count(r => r.StatusCode == HttpStatusCode.Created));
        Assert.Single((await app.Reader.GetJsonAsync("/api/rotations/platform"))["overrides"]!.AsArray());
    }

    [Fact]
    public async Task AddOverride_UnknownLayer_Returns400NamingLayer()
    {
        await using var app = await TestApp.StartAsync(azurite.ConnectionString);
        await app.CreateAsync();

        using var response = await app.AddOverrideAsync("2026-11-04T15:00:00Z", "2026-11-05T15:00:00Z", layer: "tertiary");

        await Api.AssertProblemAsync(response, 400, "layer");
    }

    [Fact]
    public async Task AddOverride_EndBeforeStart_Returns400NamingEnd()
    {
        await using var app = await TestApp.StartAsync(azurite.ConnectionString);
        await app.CreateAsync();

        using var response = await app.AddOverrideAsync("2026-11-05T15:00:00Z", "2026-11-04T15:00:00Z");

        await Api.AssertProblemAsync(response, 400, "end");
    }

    [Fact]
    public async Task DeleteOverride_Existing_RestoresRotation()
    {
        await using var app = await TestApp.StartAsync(azurite.ConnectionString);
        await app.CreateAsync();
        using var added = await app.AddOverrideAsync("2026-11-04T15:00:00Z", "2026-11-05T15:00:00Z");
        var id = (await Api.BodyAsync(added))["id"]!.GetValue<string>();

        using var response = await app.Admin.DeleteAsync($"/api/rotations/platform/overrides/{id}");

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        var body = await app.Reader.GetJsonAsync("/api/rotations/platform/oncall?at=2026-11-04T20:00:00Z");
        Assert.Equal("Ada", body["onCall"]![0]!["member"]!["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task DeleteOverride_Unknown_Returns404()
    {
        await using var app = await TestApp.StartAsync(azurite.ConnectionString);
        await app.CreateAsync();

        using var response = await app.Admin.DeleteAsync("/api/rotations/platform/overrides/nope");

        await Api.AssertProblemAsync(response, 404);
    }

    [Fact]
    public async Task DeleteOverride_WithoutKey_Returns401()
    {
        await using var app = await TestApp.StartAsync(azurite.ConnectionString);

        using var response = await app.Client.DeleteAsync("/api/rotations/platform/overrides/nope");

        await Api.AssertProblemAsync(response, 401);
    }
}
