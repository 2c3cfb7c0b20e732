using OnCall.TestSupport;

namespace OnCall.Functions.Tests;

[Collection(StorageTests.Collection)]
public sealed class HorizonApiTests(AzuriteFixture azurite)
{
    [Theory]
    [InlineData("P8W")]
    [InlineData("P30D")]
    public async Task PutRotation_Horizon_ComesBackAsSent(string horizon)
    {
        await using var app = await TestApp.StartAsync(azurite.ConnectionString);
        var rotation = Api.Rotation();
        rotation["horizon"] = horizon;

        var created = await app.CreateAsync(rotation);
        var read = await app.Reader.GetJsonAsync("/api/rotations/platform");

        Assert.Equal((horizon, horizon), (created["horizon"]!.GetValue<string>(), read["horizon"]!.GetValue<string>()));
    }

    [Fact]
    public async Task PutRotation_HorizonInWeeks_ShiftsReachAsFarAsTheSameDays()
    {
        await using var app = await TestApp.StartAsync(azurite.ConnectionString, Clocks.At(Api.Now));
        var weeks = Api.Rotation();
        weeks["horizon"] = "P2W";
        await app.CreateAsync(weeks);

        var feed = await app.Reader.GetJsonAsync("/api/rotations/platform/shifts?from=2026-11-12T12:00:00Z&to=2027-01-01T00:00:00Z");

        Assert.NotEmpty(feed.AsArray());
    }
}
