using Microsoft.Playwright;
using OnCall.Functions.Tests.Handoffs;
using OnCall.TestSupport;

namespace OnCall.Functions.Tests.Page;

/// <summary>With <see cref="Api.Rotation"/> at <see cref="Api.Now"/> Lin is on call on both layers; at 15:00Z Lin hands secondary to Ada.</summary>
[Collection(StorageTests.Collection)]
public sealed class PageBoardTests(AzuriteFixture azurite, Chromium chromium) : IClassFixture<Chromium>
{
    [Fact]
    public async Task Open_SampleRotation_ShowsWhoIsOnCallPerLayer()
    {
        await using var app = await TestApp.StartAsync(azurite.ConnectionString, Clocks.At(Api.Now), HandoffKit.Settings());
        await app.CreateAsync();

        var page = await chromium.OpenAsync(app.BaseAddress, $"/?key={TestApp.ReadKey}");

        var rows = page.Locator("#oncall tbody tr");
        await Assertions.Expect(rows).ToHaveCountAsync(2);
        await Assertions.Expect(rows.Nth(0)).ToContainTextAsync("primary");
        await Assertions.Expect(rows.Nth(0)).ToContainTextAsync("Lin");
        await Assertions.Expect(rows.Nth(1)).ToContainTextAsync("secondary");
        await Assertions.Expect(rows.Nth(1)).ToContainTextAsync("Lin");
    }

    [Fact]
    public async Task Open_NextFourteenDays_TimelinePerLayerInShiftOrder()
    {
        await using var app = await TestApp.StartAsync(azurite.ConnectionString, Clocks.At(Api.Now), HandoffKit.Settings());
        await app.CreateAsync();

        var page = await chromium.OpenAsync(app.BaseAddress, $"/?key={TestApp.ReadKey}");

        var timelines = page.Locator("#shifts ol.timeline");
        await Assertions.Expect(timelines).ToHaveCountAsync(2);
        await Assertions.Expect(timelines.Nth(1).Locator("li")).ToHaveTextAsync(["Lin", "Ada", "Lin"]);
    }

    [Fact]
    public async Task Acknowledge_PendingHandoff_ShownAcknowledged()
    {
        var clock = Clocks.At(Api.Now);
        await using var app = await TestApp.StartAsync(azurite.ConnectionString, clock, HandoffKit.Settings());
        await app.CreateAsync();
        await app.RunAsync("PlanHandoffs");
        clock.SetUtcNow(DateTimeOffset.Parse("2026-11-12T14:30:00Z", System.Globalization.CultureInfo.InvariantCulture));
        var page = await chromium.OpenAsync(app.BaseAddress, $"/?key={TestApp.AdminKey}");
        var row = page.Locator("#handoffs tbody tr").Filter(new() { HasText = "Lin → Ada" });
        await Assertions.Expect(row).ToContainTextAsync("pending");

        await row.GetByRole(AriaRole.Button, new() { Name = "Acknowledge the handoff from Lin to Ada for Ada" }).ClickAsync();

        await Assertions.Expect(row).ToContainTextAsync("acknowledged by ada@example.com");
        Assert.Equal("acknowledged", (await app.HandoffAsync())["status"]!.GetValue<string>());
        await Chromium.ScreenshotAsync(page, "page-acknowledged");
    }

    [Fact]
    public async Task Open_WithReadKey_OffersNoWriteButtons()
    {
        var clock = Clocks.At(Api.Now);
        await using var app = await TestApp.StartAsync(azurite.ConnectionString, clock, HandoffKit.Settings());
        await app.CreateAsync();
        await app.RunAsync("PlanHandoffs");
        clock.SetUtcNow(DateTimeOffset.Parse("2026-11-12T14:30:00Z", System.Globalization.CultureInfo.InvariantCulture));

        var page = await chromium.OpenAsync(app.BaseAddress, $"/?key={TestApp.ReadKey}");

        await Assertions.Expect(page.Locator("#handoffs tbody tr").Filter(new() { HasText = "Lin → Ada" })).ToContainTextAsync("pending");
        await Assertions.Expect(page.Locator("#calendars")).ToContainTextAsync("ask an admin for a link");
        await Assertions.Expect(page.Locator("#board button")).ToHaveCountAsync(0);
        await Chromium.ScreenshotAsync(page, "page-read-only");
    }

    [Fact]
    public async Task Open_HandoffAcknowledgedLate_SaysHowLateInWords()
    {
        var clock = Clocks.At(Api.Now);
        await using var app = await TestApp.StartAsync(azurite.ConnectionString, clock, HandoffKit.Settings());
        await app.MissAsync(clock);
        clock.SetUtcNow(DateTimeOffset.Parse("2026-11-12T15:46:00Z", System.Globalization.CultureInfo.InvariantCulture));
        (await app.AcknowledgeAsync()).Dispose();

        var page = await chromium.OpenAsync(app.BaseAddress, $"/?key={TestApp.ReadKey}");

        await Assertions.Expect(page.Locator("#handoffs tbody tr").Filter(new() { HasText = "Lin → Ada" })).ToContainTextAsync("46 min late");
    }

    [Fact]
    public async Task Open_Times_SayTheirZone()
    {
        await using var app = await TestApp.StartAsync(azurite.ConnectionString, Clocks.At(Api.Now), HandoffKit.Settings());
        await app.CreateAsync();

        // The tab's zone is UTC (Chromium's fixture): the viewer's zone, named.
        var page = await chromium.OpenAsync(app.BaseAddress, $"/?key={TestApp.ReadKey}");

        await Assertions.Expect(page.Locator("#oncall tbody tr").First.Locator("td").Nth(2)).ToContainTextAsync("UTC");
    }

    [Fact]
    public async Task Open_AfterMissedHandoff_OutgoingShownAsHoldover()
    {
        var clock = Clocks.At(Api.Now);
        await using var app = await TestApp.StartAsync(azurite.ConnectionString, clock, HandoffKit.Settings());
        await app.MissAsync(clock);

        var page = await chromium.OpenAsync(app.BaseAddress, $"/?key={TestApp.ReadKey}");

        var secondary = page.Locator("#oncall tbody tr").Filter(new() { HasText = "secondary" });
        await Assertions.Expect(secondary).ToContainTextAsync("Lin");
        await Assertions.Expect(secondary).ToContainTextAsync("holdover");
        await Assertions.Expect(page.Locator("#handoffs tbody tr").Filter(new() { HasText = "Lin → Ada" })).ToContainTextAsync("missed");
    }

    [Fact]
    public async Task NewSubscriptionLink_AdminKey_ShowsAWorkingFeedUrl()
    {
        await using var app = await TestApp.StartAsync(azurite.ConnectionString, Clocks.At(Api.Now), HandoffKit.Settings());
        await app.CreateAsync();
        var page = await chromium.OpenAsync(app.BaseAddress, $"/?key={TestApp.AdminKey}");

        await page.GetByRole(AriaRole.Button, new() { Name = "Issue a new ICS subscription link for Platform on-call; the old link stops working" }).ClickAsync();

        var link = page.Locator("#calendars a.feed-url");
        await Assertions.Expect(link).ToContainTextAsync("calendar.ics?token=");
        var url = new Uri(await link.InnerTextAsync());
        using var feed = await app.Client.GetAsync(url.PathAndQuery);
        Assert.Equal(System.Net.HttpStatusCode.OK, feed.StatusCode);
    }
}
