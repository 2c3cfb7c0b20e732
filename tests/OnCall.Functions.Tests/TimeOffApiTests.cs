using System.Net;
using Azure.Data.Tables;
using OnCall.Infrastructure.Storage;
using OnCall.TestSupport;

namespace OnCall.Functions.Tests;

[Collection(StorageTests.Collection)]
public sealed class TimeOffApiTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task AddTimeOff_Valid_Returns201WithEntry()
    {
        await using var app = await TestApp.StartAsync(azurite.ConnectionString);
        await app.CreateAsync();

        using var response = await app.AddTimeOffAsync("ada@example.com", "2026-11-04T00:00:00Z", "2026-11-06T00:00:00Z");

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await Api.BodyAsync(response);
        Assert.Equal(
            ("ada@example.com", "2026-11-04T00:00:00Z", "2026-11-06T00:00:00Z", "vacation"),
            (body["member"]!.GetValue<string>(), body["start"]!.GetValue<string>(), body["end"]!.GetValue<string>(), body["reason"]!.GetValue<string>()));
        Assert.EndsWith($"/api/rotations/platform/time-off/{body["id"]!.GetValue<string>()}", response.Headers.Location!.ToString());
    }

    [Fact]
    public async Task AddTimeOff_Valid_ListedInRotation()
    {
        await using var app = await TestApp.StartAsync(azurite.ConnectionString);
        await app.CreateAsync();
        var id = await app.AddTimeOffOkAsync("lin@example.com", "2026-11-04T00:00:00Z", "2026-11-06T00:00:00Z");

        var rotation = await app.Reader.GetJsonAsync("/api/rotations/platform");

        var entry = Assert.Single(rotation["timeOff"]!.AsArray())!;
        Assert.Equal((id, "lin@example.com"), (entry["id"]!.GetValue<string>(), entry["member"]!.GetValue<string>()));
    }

    [Fact]
    public async Task AddTimeOff_Valid_LeavesShiftsUnchanged()
    {
        await using var app = await TestApp.StartAsync(azurite.ConnectionString);
        await app.CreateAsync();
        const string Shifts = "/api/rotations/platform/shifts?from=2026-11-02T00:00:00Z&to=2026-11-20T00:00:00Z";
        var before = (await app.Reader.GetJsonAsync(Shifts)).ToJsonString();

        await app.AddTimeOffOkAsync("ada@example.com", "2026-11-03T00:00:00Z", "2026-11-10T00:00:00Z");

        Assert.Equal(before, (await app.Reader.GetJsonAsync(Shifts)).ToJsonString());
    }

    [Fact]
    public async Task AddTimeOff_MemberInOtherCase_StoresTheRotationsSpelling()
    {
        await using var app = await TestApp.StartAsync(azurite.ConnectionString);
        await app.CreateAsync();

        using var response = await app.AddTimeOffAsync("ADA@Example.com", "2026-11-04T00:00:00Z", "2026-11-06T00:00:00Z");

        Assert.Equal("ada@example.com", (await Api.BodyAsync(response))["member"]!.GetValue<string>());
    }

    [Fact]
    public async Task AddTimeOff_EndBeforeStart_Returns400NamingEnd()
    {
        await using var app = await TestApp.StartAsync(azurite.ConnectionString);
        await app.CreateAsync();

        using var response = await app.AddTimeOffAsync("ada@example.com", "2026-11-06T00:00:00Z", "2026-11-04T00:00:00Z");

        await Api.AssertProblemAsync(response, 400, "end");
    }

    [Fact]
    public async Task AddTimeOff_LongerThanAYear_Returns400NamingEnd()
    {
        await using var app = await TestApp.StartAsync(azurite.ConnectionString);
        await app.CreateAsync();

        using var response = await app.AddTimeOffAsync("ada@example.com", "2026-11-04T00:00:00Z", "2027-11-06T00:00:00Z");

        await Api.AssertProblemAsync(response, 400, "end");
    }

    [Fact]
    public async Task AddTimeOff_UnknownMember_Returns400NamingMember()
    {
        await using var app = await TestApp.StartAsync(azurite.ConnectionString);
        await app.CreateAsync();

        using var response = await app.AddTimeOffAsync("sam@example.com", "2026-11-04T00:00:00Z", "2026-11-06T00:00:00Z");

        await Api.AssertProblemAsync(response, 400, "member");
    }

    [Fact]
    public async Task AddTimeOff_MalformedStart_Returns400NamingStart()
    {
        await using var app = await TestApp.StartAsync(azurite.ConnectionString);
        await app.CreateAsync();

        using var response = await app.AddTimeOffAsync("ada@example.com", "next tuesday", "2026-11-06T00:00:00Z");

        await Api.AssertProblemAsync(response, 400, "start");
    }

    [Fact]
    public async Task AddTimeOff_UnknownRotation_Returns404()
    {
        await using var app = await TestApp.StartAsync(azurite.ConnectionString);

        using var response = await app.AddTimeOffAsync("ada@example.com", "2026-11-04T00:00:00Z", "2026-11-06T00:00:00Z", rotation: "nobody");

        await Api.AssertProblemAsync(response, 404);
    }

    [Fact]
    public async Task AddTimeOff_WithReadKey_Returns403()
    {
        await using var app = await TestApp.StartAsync(azurite.ConnectionString);
        await app.CreateAsync();

        using var response = await app.Reader.PostAsync("/api/rotations/platform/time-off", Api.Json("{}"));

        await Api.AssertProblemAsync(response, 403);
    }

    [Fact]
    public async Task DeleteTimeOff_Existing_Returns204AndUnlists()
    {
        await using var app = await TestApp.StartAsync(azurite.ConnectionString);
        await app.CreateAsync();
        var id = await app.AddTimeOffOkAsync("ada@example.com", "2026-11-04T00:00:00Z", "2026-11-06T00:00:00Z");

        using var response = await app.Admin.DeleteAsync($"/api/rotations/platform/time-off/{id}");

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Empty((await app.Reader.GetJsonAsync("/api/rotations/platform"))["timeOff"]!.AsArray());
    }

    [Fact]
    public async Task DeleteTimeOff_Unknown_Returns404()
    {
        await using var app = await TestApp.StartAsync(azurite.ConnectionString);
        await app.CreateAsync();

        using var response = await app.Admin.DeleteAsync("/api/rotations/platform/time-off/nope");

        await Api.AssertProblemAsync(response, 404);
    }

    [Fact]
    public async Task DeleteRotation_WithTimeOff_RemovesIt()
    {
        await using var app = await TestApp.StartAsync(azurite.ConnectionString);
        await app.CreateAsync();
        await app.AddTimeOffOkAsync("ada@example.com", "2026-11-04T00:00:00Z", "2026-11-06T00:00:00Z");

        (await app.Admin.DeleteAsync("/api/rotations/platform")).Dispose();

        var table = await app.Service<TableProvider>().GetAsync(TableTimeOffRepository.TableName);
        Assert.Empty(await table.QueryAsync<TableEntity>(select: ["RowKey"]).ToListAsync());
    }
}
