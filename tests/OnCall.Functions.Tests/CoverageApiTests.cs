using OnCall.TestSupport;

namespace OnCall.Functions.Tests;

[Collection(StorageTests.Collection)]
public sealed class CoverageApiTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task GetCoverage_ShiftDuringTimeOff_ReportsOverlapAsConflict()
    {
        await using var app = await TestApp.StartAsync(azurite.ConnectionString);
        await app.CreateAsync();
        await app.AddTimeOffOkAsync("ada@example.com", "2026-11-04T00:00:00Z", "2026-11-05T00:00:00Z");

        var conflicts = await app.ProblemsAsync("conflict", "2026-11-03T00:00:00Z", "2026-11-06T00:00:00Z");

        Assert.Equal([("primary", "2026-11-04T00:00:00Z", "2026-11-05T00:00:00Z", "ada@example.com")], conflicts);
    }

    [Fact]
    public async Task GetCoverage_OverrideCoversTimeOff_NoConflict()
    {
        await using var app = await TestApp.StartAsync(azurite.ConnectionString);
        await app.CreateAsync();
        await app.AddTimeOffOkAsync("ada@example.com", "2026-11-04T00:00:00Z", "2026-11-05T00:00:00Z");
        (await app.AddOverrideAsync("2026-11-04T00:00:00Z", "2026-11-05T00:00:00Z")).Dispose();

        var conflicts = await app.ProblemsAsync("conflict", "2026-11-03T00:00:00Z", "2026-11-06T00:00:00Z");

        Assert.Empty(conflicts);
    }

    [Fact]
    public async Task GetCoverage_TimeOffOfSomeoneOffShift_NoConflict()
    {
        await using var app = await TestApp.StartAsync(azurite.ConnectionString);
        await app.CreateAsync(TimeOffApi.DailyNewYork());
        await app.AddTimeOffOkAsync("ada@example.com", "2027-03-02T16:00:00Z", "2027-03-03T14:00:00Z", rotation: "daily");

        var conflicts = await app.ProblemsAsync("conflict", "2027-03-02T00:00:00Z", "2027-03-04T00:00:00Z", rotation: "daily");

        Assert.Empty(conflicts);
    }

    [Fact]
    public async Task GetCoverage_LayerAnchoredAfterFrom_ReportsGapUntilFirstShift()
    {
        await using var app = await TestApp.StartAsync(azurite.ConnectionString);
        await app.CreateAsync();

        var gaps = await app.ProblemsAsync("gap", "2026-11-01T00:00:00Z", "2026-11-03T00:00:00Z");

        Assert.Contains(("primary", "2026-11-01T00:00:00Z", "2026-11-02T15:00:00Z", (string?)null), gaps);
    }

    [Fact]
    public async Task GetCoverage_FullyScheduledRange_NoProblems()
    {
        await using var app = await TestApp.StartAsync(azurite.ConnectionString);
        await app.CreateAsync(TimeOffApi.DailyNewYork());

        var body = await app.Reader.GetJsonAsync("/api/rotations/daily/coverage?from=2027-03-05T00:00:00Z&to=2027-03-20T00:00:00Z");

        Assert.Empty(body["problems"]!.AsArray());
    }

    [Fact]
    public async Task GetCoverage_AcrossDstChange_ConflictHasTheShiftsInstants()
    {
        await using var app = await TestApp.StartAsync(azurite.ConnectionString);
        await app.CreateAsync(TimeOffApi.DailyNewYork());

        // Ada's shift from 10:00 EST on 2027-03-13 to 10:00 EDT on the 14th lasts 23 hours.
        await app.AddTimeOffOkAsync("ada@example.com", "2027-03-13T00:00:00Z", "2027-03-15T00:00:00Z", rotation: "daily");

        var conflicts = await app.ProblemsAsync("conflict", "2027-03-13T12:00:00Z", "2027-03-15T00:00:00Z", rotation: "daily");

        Assert.Equal([("primary", "2027-03-13T15:00:00Z", "2027-03-14T14:00:00Z", "ada@example.com")], conflicts);
    }

    [Fact]
    public async Task GetCoverage_NoRange_CoversThirtyDaysFromNow()
    {
        await using var app = await TestApp.StartAsync(azurite.ConnectionString, Clocks.At(Api.Now));
        await app.CreateAsync();

        var body = await app.Reader.GetJsonAsync("/api/rotations/platform/coverage");

        Assert.Equal((Api.Now, "2026-12-12T12:00:00Z"), (body["from"]!.GetValue<string>(), body["to"]!.GetValue<string>()));
    }

    [Fact]
    public async Task GetCoverage_RangeOverAYear_Returns400NamingTo()
    {
        await using var app = await TestApp.StartAsync(azurite.ConnectionString);
        await app.CreateAsync();

        using var response = await app.Reader.GetAsync("/api/rotations/platform/coverage?from=2026-11-01T00:00:00Z&to=2027-12-01T00:00:00Z");

        await Api.AssertProblemAsync(response, 400, "to");
    }

    [Fact]
    public async Task GetCoverage_ToBeforeFrom_Returns400NamingTo()
    {
        await using var app = await TestApp.StartAsync(azurite.ConnectionString);
        await app.CreateAsync();

        using var response = await app.Reader.GetAsync("/api/rotations/platform/coverage?from=2026-11-05T00:00:00Z&to=2026-11-01T00:00:00Z");

        await Api.AssertProblemAsync(response, 400, "to");
    }

    [Fact]
    public async Task GetCoverage_UnknownRotation_Returns404()
    {
        await using var app = await TestApp.StartAsync(azurite.ConnectionString);

        using var response = await app.Reader.GetAsync("/api/rotations/nobody/coverage");

        await Api.AssertProblemAsync(response, 404);
    }
}
