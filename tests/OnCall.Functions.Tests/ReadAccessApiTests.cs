using System.Net;

namespace OnCall.Functions.Tests;

/// <summary>Reads need the admin or the read-only key; writes only the admin key.</summary>
[Collection(OnCall.TestSupport.StorageTests.Collection)]
public sealed class ReadAccessApiTests(OnCall.TestSupport.AzuriteFixture azurite)
{
    [Theory]
    [InlineData("/api/rotations")]
    [InlineData("/api/rotations/platform")]
    [InlineData("/api/rotations/platform/shifts")]
    [InlineData("/api/rotations/platform/oncall")]
    public async Task Read_WithoutKey_Returns401(string path)
    {
        await using var app = await TestApp.StartAsync(azurite.ConnectionString);
        await app.CreateAsync();

        using var response = await app.Client.GetAsync(path);

        await Api.AssertProblemAsync(response, 401, "x-functions-key");
    }

    [Fact]
    public async Task Read_WithReadKey_Returns200()
    {
        await using var app = await TestApp.StartAsync(azurite.ConnectionString);
        await app.CreateAsync();

        using var response = await app.Reader.GetAsync("/api/rotations/platform/oncall");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Read_WithKeyInCodeQuery_Returns200()
    {
        await using var app = await TestApp.StartAsync(azurite.ConnectionString);
        await app.CreateAsync();

        using var response = await app.Client.GetAsync($"/api/rotations/platform?code={TestApp.ReadKey}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Write_WithReadKey_Returns403()
    {
        await using var app = await TestApp.StartAsync(azurite.ConnectionString);

        using var response = await app.Reader.PutAsync("/api/rotations/platform", Api.Json(Api.Rotation()));

        await Api.AssertProblemAsync(response, 403, "x-functions-key");
    }

    [Fact]
    public async Task Write_WithAdminKeyInCodeQuery_Returns201()
    {
        await using var app = await TestApp.StartAsync(azurite.ConnectionString);

        using var response = await app.Client.PutAsync($"/api/rotations/platform?code={TestApp.AdminKey}", Api.Json(Api.Rotation()));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Fact]
    public async Task ListPoisonMessages_WithReadKey_Returns403()
    {
        await using var app = await TestApp.StartAsync(azurite.ConnectionString);

        using var response = await app.Reader.GetAsync("/api/ops/poison");

        await Api.AssertProblemAsync(response, 403, "x-functions-key");
    }

    [Fact]
    public async Task Health_WithoutKey_Returns200()
    {
        await using var app = await TestApp.StartAsync(azurite.ConnectionString);

        using var response = await app.Client.GetAsync("/api/health");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Start_ReadKeyEqualToAdminKey_FailsNamingTheSetting()
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() => TestApp.StartAsync(
            azurite.ConnectionString, settings: new Dictionary<string, string> { ["OnCall:ReadKey"] = TestApp.AdminKey }));

        Assert.Contains("OnCall:ReadKey", error.Message, StringComparison.Ordinal);
    }
}
