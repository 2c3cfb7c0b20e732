using OnCall.TestSupport;

namespace OnCall.Functions.Tests;

[Collection(StorageTests.Collection)]
public sealed class OnCallApiTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task GetOnCall_At_ReturnsEachLayersMember()
    {
        await using var app = await TestApp.StartAsync(azurite.ConnectionString);
        await app.CreateAsync();

        var body = await app.Reader.GetJsonAsync("/api/rotations/platform/oncall?at=2026-11-22T12:00:00Z");

        Assert.Equal(
            [("primary", "Ada"), ("secondary", "Lin")],
            body["onCall"]!.AsArray().Select(s => (s!["layer"]!.GetValue<string>(), s["member"]!["name"]!.GetValue<string>())));
    }

    [Fact]
    public async Task GetOnCall_NoAt_UsesNow()
    {
        await using var app = await TestApp.StartAsync(azurite.ConnectionString, Clocks.At(Api.Now));
        await app.CreateAsync();

        var body = await app.Reader.GetJsonAsync("/api/rotations/platform/oncall");

        Assert.Equal((Api.Now, "Lin"), (body["at"]!.GetValue<string>(), body["onCall"]![0]!["member"]!["name"]!.GetValue<string>()));
    }

    [Fact]
    public async Task GetOnCall_BeforeAnchor_ReturnsNobody()
    {
        await using var app = await TestApp.StartAsync(azurite.ConnectionString);
        await app.CreateAsync();

        var body = await app.Reader.GetJsonAsync("/api/rotations/platform/oncall?at=2026-10-01T00:00:00Z");

        Assert.Empty(body["onCall"]!.AsArray());
    }
}
