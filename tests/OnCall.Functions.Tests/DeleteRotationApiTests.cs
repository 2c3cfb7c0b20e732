using System.Net;
using Azure.Data.Tables;
using OnCall.Infrastructure.Storage;
using OnCall.TestSupport;

namespace OnCall.Functions.Tests;

[Collection(StorageTests.Collection)]
public sealed class DeleteRotationApiTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task DeleteRotation_WithOverridesAndFeedHistory_LeavesNothingBehind()
    {
        await using var app = await TestApp.StartAsync(azurite.ConnectionString, Clocks.At(Api.Now));
        var feedUrl = (await app.CreateAsync())["feedUrl"]!.GetValue<string>();
        (await app.AddOverrideAsync("2026-11-20T15:00:00Z", "2026-11-21T15:00:00Z")).Dispose();
        (await app.Client.GetAsync(feedUrl)).Dispose();

        using var response = await app.Admin.DeleteAsync("/api/rotations/platform");

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal((0, 0), (await CountAsync(app, TableRotationRepository.TableName), await CountAsync(app, TableFeedLedger.TableName)));
        Assert.Equal(HttpStatusCode.NotFound, (await app.Client.GetAsync(feedUrl)).StatusCode);
    }

    [Fact]
    public async Task DeleteRotation_Unknown_Returns404()
    {
        await using var app = await TestApp.StartAsync(azurite.ConnectionString);

        using var response = await app.Admin.DeleteAsync("/api/rotations/nobody");

        await Api.AssertProblemAsync(response, 404);
    }

    [Fact]
    public async Task DeleteRotation_WithReadKey_Returns403()
    {
        await using var app = await TestApp.StartAsync(azurite.ConnectionString);
        await app.CreateAsync();

        using var response = await app.Reader.DeleteAsync("/api/rotations/platform");

        await Api.AssertProblemAsync(response, 403);
    }

    private static async Task<int> CountAsync(TestApp app, string table)
    {
        var client = await app.Service<TableProvider>().GetAsync(table);
        var count = 0;
        await foreach (var _ in client.QueryAsync<TableEntity>(select: ["RowKey"]))
        {
            count++;
        }

        return count;
    }
}
