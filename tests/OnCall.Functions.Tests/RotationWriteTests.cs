using System.Net;
using System.Text.Json.Nodes;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using OnCall.Infrastructure.Storage;
using OnCall.TestSupport;

namespace OnCall.Functions.Tests;

/// <summary>What a rotation write costs in storage: the ledger is a few chunks, an unchanged PUT reads the rotation only.</summary>
[Collection(StorageTests.Collection)]
public sealed class RotationWriteTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task PutRotation_Unchanged_ReadsOnlyTheRotation()
    {
        var counter = new TableRequestCounter();
        await using var app = await TestApp.StartAsync(azurite.ConnectionString, Clocks.At(Api.Now), services: s => s.AddSingleton(counter.Client(azurite.ConnectionString)));
        var rotation = Hourly();
        await app.CreateAsync(rotation);
        counter.Reset();

        using var response = await app.PutAsync(rotation);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal((1, 0), (counter.Requests, counter.RequestsTo(TableFeedLedger.TableName)));
    }

    [Fact]
    public async Task PutRotation_HourlyForAYear_StoresTheLedgerInAFewRowsAndServesEveryShift()
    {
        await using var app = await TestApp.StartAsync(azurite.ConnectionString, Clocks.At(Api.Now));

        var feedUrl = (await app.CreateAsync(Hourly()))["feedUrl"]!.GetValue<string>();

        var entries = await app.CountFeedLedgerAsync();
        Assert.InRange(entries, 360 * 24, 370 * 24);
        Assert.InRange(await CountRowsAsync(app), 2, 1 + (entries + 1999) / 2000);
        var feed = await app.Client.GetStringAsync(feedUrl);
        Assert.Equal(entries, feed.Split("BEGIN:VEVENT").Length - 1);
    }

    [Fact]
    public async Task PutRotation_ChangedMembers_RewritesTheLedgerAndFeedShowsThem()
    {
        await using var app = await TestApp.StartAsync(azurite.ConnectionString, Clocks.At(Api.Now));
        var rotation = Hourly();
        var feedUrl = (await app.CreateAsync(rotation))["feedUrl"]!.GetValue<string>();
        rotation["layers"]![0]!["members"]!.AsArray().Add(new JsonObject { ["name"] = "Kim", ["email"] = "kim@example.com" });

        (await app.PutAsync(rotation)).EnsureSuccessStatusCode();

        Assert.Contains("On call: Kim", await app.Client.GetStringAsync(feedUrl), StringComparison.Ordinal);
    }

    [Fact]
    public async Task DeleteRotation_HourlyForAYear_LeavesNothingBehind()
    {
        await using var app = await TestApp.StartAsync(azurite.ConnectionString, Clocks.At(Api.Now));
        await app.CreateAsync(Hourly());

        using var response = await app.Admin.DeleteAsync("/api/rotations/platform");

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(0, await CountRowsAsync(app));
    }

    private static JsonObject Hourly()
    {
        var rotation = Api.Rotation();
        rotation["horizon"] = "P366D";
        rotation["layers"]!.AsArray().RemoveAt(1);
        rotation["layers"]![0]!["shiftLength"] = "PT1H";
        return rotation;
    }

    private static async Task<int> CountRowsAsync(TestApp app)
    {
        var table = await app.Service<TableProvider>().GetAsync(TableFeedLedger.TableName);
        var count = 0;
        await foreach (var _ in table.QueryAsync<TableEntity>(select: ["RowKey"]))
        {
            count++;
        }

        return count;
    }

    /// <summary>Counts the app's table requests, and those to one table.</summary>
    private sealed class TableRequestCounter : HttpPipelineSynchronousPolicy
    {
        private readonly List<string> _paths = [];

        public int Requests
        {
            get
            {
                lock (_paths)
                {
                    return _paths.Count;
                }
            }
        }

        public int RequestsTo(string table)
        {
            lock (_paths)
            {
                return _paths.Count(p => p.Contains(table, StringComparison.Ordinal));
            }
        }

        public void Reset()
        {
            lock (_paths)
            {
                _paths.Clear();
            }
        }

        public TableServiceClient Client(string connectionString)
        {
            var options = new TableClientOptions();
            options.AddPolicy(this, HttpPipelinePosition.PerCall);
            return new TableServiceClient(connectionString, options);
        }

        public override void OnSendingRequest(HttpMessage message)
        {
            lock (_paths)
            {
                _paths.Add(message.Request.Uri.Path);
            }
        }
    }
}
