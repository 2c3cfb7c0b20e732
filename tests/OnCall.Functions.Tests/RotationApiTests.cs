using System.Net;
using OnCall.TestSupport;

namespace OnCall.Functions.Tests;

[Collection(StorageTests.Collection)]
public sealed class RotationApiTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task PutRotation_New_Returns201WithFeedTokenOnce()
    {
        await using var app = await TestApp.StartAsync(azurite.ConnectionString);

        var created = await app.CreateAsync();

        Assert.False(string.IsNullOrEmpty(created["feedToken"]?.GetValue<string>()));
        Assert.Null((await app.Reader.GetJsonAsync("/api/rotations/platform"))["feedToken"]);
    }

    [Fact]
    public async Task PutRotation_Existing_Returns200WithoutToken()
    {
        await using var app = await TestApp.StartAsync(azurite.ConnectionString);
        await app.CreateAsync();

        using var response = await app.PutAsync(Api.Rotation());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Null((await Api.BodyAsync(response))["feedToken"]);
    }

    [Fact]
    public async Task GetRotation_AfterPut_ReturnsWhatWasPut()
    {
        await using var app = await TestApp.StartAsync(azurite.ConnectionString);
        await app.CreateAsync();

        var rotation = await app.Reader.GetJsonAsync("/api/rotations/platform");

        Assert.Equal(
            ("America/New_York", "PT30M", "P3D", "Lin"),
            (rotation["timeZone"]!.GetValue<string>(), rotation["handoffGrace"]!.GetValue<string>(),
             rotation["layers"]![1]!["offset"]!.GetValue<string>(), rotation["layers"]![0]!["members"]![1]!["name"]!.GetValue<string>()));
    }

    [Fact]
    public async Task ListRotations_TwoCreated_ListsBoth()
    {
        await using var app = await TestApp.StartAsync(azurite.ConnectionString);
        await app.CreateAsync(Api.Rotation("alpha"));
        await app.CreateAsync(Api.Rotation("beta"));

        var list = (await app.Reader.GetJsonAsync("/api/rotations")).AsArray();

        Assert.Equal(["alpha", "beta"], list.Select(r => r!["id"]!.GetValue<string>()));
    }

    [Fact]
    public async Task GetRotation_Unknown_Returns404Problem()
    {
        await using var app = await TestApp.StartAsync(azurite.ConnectionString);

        using var response = await app.Reader.GetAsync("/api/rotations/nobody");

        await Api.AssertProblemAsync(response, 404);
    }

    [Fact]
    public async Task PutRotation_MembersChangedMidShift_ShowsPendingChangeAndKeepsCurrentShift()
    {
        await using var app = await TestApp.StartAsync(azurite.ConnectionString, Clocks.At(Api.Now));
        await app.CreateAsync();
        var changed = Api.Rotation();
        changed["layers"]![0]!["members"]![1]!["name"] = "Lina";

        using var response = await app.PutAsync(changed);

        var body = await Api.BodyAsync(response);
        Assert.Equal("2026-11-16T15:00:00Z", body["pendingChanges"]![0]!["effectiveFrom"]!.GetValue<string>());
        var now = await app.Reader.GetJsonAsync("/api/rotations/platform/oncall");
        Assert.Equal("Lin", now["onCall"]![0]!["member"]!["name"]!.GetValue<string>());
    }
}
