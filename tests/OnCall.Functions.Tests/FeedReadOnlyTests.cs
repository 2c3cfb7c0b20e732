using System.Net;
using Azure.Data.Tables;
using OnCall.Infrastructure.Storage;
using OnCall.TestSupport;

namespace OnCall.Functions.Tests;

/// <summary>A GET changes nothing: the feed is read from the calendar state reconciled by writes and the SyncCalendars timer.</summary>
[Collection(StorageTests.Collection)]
public sealed class FeedReadOnlyTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task GetCalendarFeed_DaysLater_WritesNoStorage()
    {
        var clock = Clocks.At(Api.Now);
        await using var app = await TestApp.StartAsync(azurite.ConnectionString, clock, new Dictionary<string, string> { ["AzureWebJobs.SyncCalendars.Disabled"] = "true" });
        var url = (await app.CreateAsync())["feedUrl"]!.GetValue<string>();
        var before = await LedgerAsync(app);
        clock.Advance(TimeSpan.FromDays(10));

        (await app.Client.GetAsync(url)).Dispose();
        (await app.Client.GetAsync(url)).Dispose();

        Assert.Equal(before, await LedgerAsync(app));
    }

    [Fact]
    public async Task GetCalendarFeed_IfNoneMatchAfterTimePassed_Returns304()
    {
        var clock = Clocks.At(Api.Now);
        await using var app = await TestApp.StartAsync(azurite.ConnectionString, clock);
        var url = (await app.CreateAsync())["feedUrl"]!.GetValue<string>();
        using var first = await app.Client.GetAsync(url);
        clock.Advance(TimeSpan.FromHours(1));
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.IfNoneMatch.Add(first.Headers.ETag!);

        using var second = await app.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotModified, second.StatusCode);
    }

    [Fact]
    public async Task SyncCalendars_AWeekLater_FeedShowsTheShiftThatEnteredTheHorizon()
    {
        var clock = Clocks.At(Api.Now);
        await using var app = await TestApp.StartAsync(azurite.ConnectionString, clock, new Dictionary<string, string> { ["AzureWebJobs.SyncCalendars.Disabled"] = "true" });
        var url = (await app.CreateAsync())["feedUrl"]!.GetValue<string>();
        clock.Advance(TimeSpan.FromDays(7));
        Assert.DoesNotContain("DTSTART:20270111T150000Z", await app.Client.GetStringAsync(url), StringComparison.Ordinal);

        (await app.Admin.PostAsync("/api/ops/run/SyncCalendars", null)).Dispose();

        Assert.Contains("DTSTART:20270111T150000Z", await app.Client.GetStringAsync(url), StringComparison.Ordinal);
    }

    private static async Task<List<string>> LedgerAsync(TestApp app)
    {
        var table = await app.Service<TableProvider>().GetAsync(TableFeedLedger.TableName);
        var rows = new List<string>();
        await foreach (var row in table.QueryAsync<TableEntity>(select: ["RowKey"]))
        {
            rows.Add($"{row.RowKey} {row.ETag}");
        }

        return rows;
    }
}
