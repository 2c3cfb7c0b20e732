using OnCall.TestSupport;

namespace OnCall.Functions.Tests;

[Collection(StorageTests.Collection)]
public sealed class ShiftsApiTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task GetShifts_Range_ReturnsShiftsOfEveryLayerInUtc()
    {
        await using var app = await TestApp.StartAsync(azurite.ConnectionString);
        await app.CreateAsync();

        var shifts = (await app.Reader.GetJsonAsync("/api/rotations/platform/shifts?from=2026-11-02T15:00:00Z&to=2026-11-09T15:00:00Z")).AsArray();

        Assert.Equal(
            [("primary", "Ada", "2026-11-02T15:00:00Z", "2026-11-09T15:00:00Z"), ("secondary", "Lin", "2026-11-05T15:00:00Z", "2026-11-12T15:00:00Z")],
            shifts.Select(s => (s!["layer"]!.GetValue<string>(), s["member"]!["name"]!.GetValue<string>(), s["start"]!.GetValue<string>(), s["end"]!.GetValue<string>())));
    }

    [Fact]
    public async Task GetShifts_Twice_ReturnsSameKeys()
    {
        await using var app = await TestApp.StartAsync(azurite.ConnectionString);
        await app.CreateAsync();
        const string Path = "/api/rotations/platform/shifts?from=2026-11-01T00:00:00Z&to=2027-11-01T00:00:00Z";

        var first = (await app.Reader.GetJsonAsync(Path)).AsArray().Select(s => s!["key"]!.GetValue<string>());
        var second = (await app.Reader.GetJsonAsync(Path)).AsArray().Select(s => s!["key"]!.GetValue<string>());

        Assert.Equal(first, second);
    }

    [Fact]
    public async Task GetShifts_NoRange_CoversHorizonFromNow()
    {
        await using var app = await TestApp.StartAsync(azurite.ConnectionString, Clocks.At(Api.Now));
        await app.CreateAsync();

        var shifts = (await app.Reader.GetJsonAsync("/api/rotations/platform/shifts")).AsArray();

        // Eight weeks from a Thursday: the current week of each layer plus eight more handoffs each.
        Assert.Equal(18, shifts.Count);
    }
}
