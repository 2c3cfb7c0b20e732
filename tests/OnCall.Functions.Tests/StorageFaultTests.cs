using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using OnCall.TestSupport;

namespace OnCall.Functions.Tests;

/// <summary>
/// Storage that stops, hangs or comes back empty, against a real Azurite each test owns: callers get a 503
/// they can retry, within a bound, and the app heals without a restart.
/// </summary>
public sealed class StorageFaultTests : IAsyncLifetime
{
    // The storage clients give up within ~10 s (ServiceCollectionExtensions); slack for a busy machine.
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(15);

    private AzuriteProcess _azurite = null!;
    private TestApp _app = null!;

    public async Task InitializeAsync()
    {
        _azurite = await AzuriteProcess.StartAsync();
        _app = await TestApp.StartAsync(_azurite.ConnectionString);
    }

    public async Task DisposeAsync()
    {
        await _azurite.StopAsync();
        await _app.DisposeAsync();
        await _azurite.DisposeAsync();
    }

    [Fact]
    public async Task GetRotation_StorageStopped_Returns503WithRetryAfter()
    {
        await _app.CreateAsync();
        await _azurite.StopAsync();

        using var response = await _app.Admin.GetAsync("/api/rotations/platform");

        await AssertStorageUnavailableAsync(response);
    }

    [Fact]
    public async Task PutRotation_StorageStopped_Returns503WithRetryAfter()
    {
        await _azurite.StopAsync();

        using var response = await _app.PutAsync(Api.Rotation());

        await AssertStorageUnavailableAsync(response);
    }

    [Fact]
    public async Task PutRotation_StorageFrozen_Returns503WithinBound()
    {
        await _app.CreateAsync();
        await _azurite.FreezeAsync();

        var elapsed = Stopwatch.StartNew();
        using var response = await _app.PutAsync(Api.Rotation());
        elapsed.Stop();
        await _azurite.ThawAsync();

        await AssertStorageUnavailableAsync(response);
        Assert.True(elapsed.Elapsed < Bound, $"took {elapsed.Elapsed}");
    }

    [Fact]
    public async Task Health_StorageStopped_Returns503WithRetryAfter()
    {
        await _azurite.StopAsync();

        using var response = await _app.Client.GetAsync("/api/health");

        await AssertStorageUnavailableAsync(response);
    }

    [Fact]
    public async Task Health_StorageFrozen_Returns503WithinBound()
    {
        await _azurite.FreezeAsync();

        var elapsed = Stopwatch.StartNew();
        using var response = await _app.Client.GetAsync("/api/health");
        elapsed.Stop();
        await _azurite.ThawAsync();

        await AssertStorageUnavailableAsync(response);
        Assert.True(elapsed.Elapsed < Bound, $"took {elapsed.Elapsed}");
    }

    [Fact]
    public async Task Health_StorageRestartedEmpty_Returns200()
    {
        await _app.CreateAsync();
        await _azurite.RestartEmptyAsync();

        var body = await _app.Client.GetJsonAsync("/api/health");

        Assert.Equal("ok", body["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task GetRotation_StorageRestartedEmpty_Returns404()
    {
        await _app.CreateAsync();
        await _azurite.RestartEmptyAsync();

        using var response = await _app.Admin.GetAsync("/api/rotations/platform");

        await Api.AssertProblemAsync(response, 404);
    }

    [Fact]
    public async Task PutRotation_StorageRestartedEmpty_CreatesAgain()
    {
        await _app.CreateAsync();
        await _azurite.RestartEmptyAsync();

        using var put = await _app.PutAsync(Api.Rotation());
        var read = await _app.Admin.GetJsonAsync("/api/rotations/platform");

        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        Assert.Equal("Platform on-call", read["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task PutRotation_StorageBackAfterStop_Returns201()
    {
        await _azurite.StopAsync();
        (await _app.PutAsync(Api.Rotation())).Dispose();
        await _azurite.RestartEmptyAsync();

        using var response = await _app.PutAsync(Api.Rotation());

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    private static async Task AssertStorageUnavailableAsync(HttpResponseMessage response)
    {
        await Api.AssertProblemAsync(response, 503);
        Assert.Equal(TimeSpan.FromSeconds(5), response.Headers.RetryAfter?.Delta);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("Storage unavailable", body["title"]!.GetValue<string>());
    }
}
