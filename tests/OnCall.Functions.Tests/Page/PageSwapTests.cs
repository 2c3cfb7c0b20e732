using Microsoft.Playwright;
using OnCall.Functions.Tests.Handoffs;
using OnCall.Functions.Tests.Swaps;
using OnCall.TestSupport;

namespace OnCall.Functions.Tests.Page;

/// <summary>
/// With <see cref="Api.Rotation"/> at <see cref="Api.Now"/>, Ada's next primary shift runs from
/// <see cref="SwapKit.AdaStart"/> to <see cref="SwapKit.AdaEnd"/>, and her secondary shift ends as
/// <see cref="TimeOffStart"/> begins: her time off clashes with the primary shift only, a conflict from 19 Nov 15:00:30Z
/// to 22 Nov 23:59:30Z, which the page asks to swap in whole minutes, 15:00 to 23 Nov 00:00.
/// </summary>
[Collection(StorageTests.Collection)]
public sealed class PageSwapTests(AzuriteFixture azurite, Chromium chromium) : IClassFixture<Chromium>
{
    private const string TimeOffStart = "2026-11-19T15:00:30Z";
    private const string TimeOffEnd = "2026-11-22T23:59:30Z";
    private const string SwapStart = "2026-11-19T15:00:00Z";
    private const string SwapEnd = "2026-11-23T00:00:00Z";
    private const string AdaShift = "Request a swap for Ada's primary shift";

    [Fact]
    public async Task Open_TimeOffDuringAShift_ShowsTheConflict()
    {
        await using var app = await StartWithConflictAsync();

        var page = await chromium.OpenAsync(app.BaseAddress, $"/?key={TestApp.AdminKey}");

        var row = Conflict(page);
        await Assertions.Expect(row).ToContainTextAsync("Platform on-call / primary");
        await Assertions.Expect(row).ToContainTextAsync("Ada");
        await Assertions.Expect(row).ToContainTextAsync("Thu 19 Nov, 15:00 UTC – Sun 22 Nov, 23:59 UTC");
        await Assertions.Expect(page.Locator("#coverage")).ToContainTextAsync("No open swap requests in the next 14 days.");
    }

    [Fact]
    public async Task Open_NoProblemsNoRequests_SaysSoInWords()
    {
        await using var app = await TestApp.StartAsync(azurite.ConnectionString, Clocks.At(Api.Now), Settings());
        await app.CreateAsync();

        var page = await chromium.OpenAsync(app.BaseAddress, $"/?key={TestApp.ReadKey}");

        await Assertions.Expect(page.Locator("#coverage")).ToContainTextAsync("No coverage problems in the next 14 days.");
        await Assertions.Expect(page.Locator("#coverage")).ToContainTextAsync("No open swap requests in the next 14 days.");
    }

    [Fact]
    public async Task RequestSwap_FromTheConflictRow_TheOpenRequestAppears()
    {
        await using var app = await StartWithConflictAsync();
        var page = await chromium.OpenAsync(app.BaseAddress, $"/?key={TestApp.AdminKey}");

        await Conflict(page).GetByRole(AriaRole.Button, new() { Name = AdaShift }).ClickAsync();

        var request = Requests(page);
        await Assertions.Expect(request).ToHaveCountAsync(1);
        await Assertions.Expect(request).ToContainTextAsync("Ada");
        await Assertions.Expect(request).ToContainTextAsync("Lin");
        await Assertions.Expect(request).ToContainTextAsync("open");
        var swap = Assert.Single((await app.Reader.GetJsonAsync("/api/swaps?status=open")).AsArray());
        Assert.Equal(
            ("ada@example.com", SwapStart, SwapEnd),
            (swap!["requester"]!["email"]!.GetValue<string>(), swap["start"]!.GetValue<string>(), swap["end"]!.GetValue<string>()));
    }

    [Fact]
    public async Task RequestSwap_FromTheShiftPicker_TheOpenRequestAppears()
    {
        await using var app = await TestApp.StartAsync(azurite.ConnectionString, Clocks.At(Api.Now), Settings());
        await app.CreateAsync();
        var page = await chromium.OpenAsync(app.BaseAddress, $"/?key={TestApp.AdminKey}");

        await page.GetByLabel("Request a swap for a shift").SelectOptionAsync(new SelectOptionValue { Label = "Platform on-call / primary: Ada, Mon 16 Nov, 15:00 UTC – Mon 23 Nov, 15:00 UTC" });
        await page.Locator("#coverage .offer").GetByRole(AriaRole.Button, new() { Name = "Request swap" }).ClickAsync();

        await Assertions.Expect(Requests(page)).ToHaveCountAsync(1);
        await Assertions.Expect(Requests(page)).ToContainTextAsync("Ada");
    }

    [Fact]
    public async Task AcceptSwap_AsLin_LeavesTheOpenListAndTheTimelineShowsLin()
    {
        await using var app = await StartWithConflictAsync();
        await app.RequestOkAsync(SwapKit.Body(start: SwapStart, end: SwapEnd));
        var page = await chromium.OpenAsync(app.BaseAddress, $"/?key={TestApp.AdminKey}");
        var request = Requests(page);
        await Assertions.Expect(request).ToHaveCountAsync(1);

        await request.GetByRole(AriaRole.Combobox).SelectOptionAsync("lin@example.com");
        await request.GetByRole(AriaRole.Button, new() { Name = "Accept" }).ClickAsync();

        await Assertions.Expect(page.Locator("#coverage")).ToContainTextAsync("No open swap requests in the next 14 days.");
        // Primary: Lin to the 16th, Ada to the 19th, Lin for the span swapped, Ada to the end of her week, then Lin.
        await Assertions.Expect(page.Locator("#shifts ol.timeline").Nth(0).Locator("li")).ToHaveTextAsync(["Lin", "Ada", "Lin", "Ada", "Lin"]);
        await Assertions.Expect(page.Locator("#coverage")).ToContainTextAsync("No coverage problems in the next 14 days.");
        await Chromium.ScreenshotAsync(page, "page-swap-accepted");
    }

    [Fact]
    public async Task Open_WithReadKey_ShowsConflictAndRequestWithoutControls()
    {
        await using var app = await StartWithConflictAsync();
        await app.RequestOkAsync(SwapKit.Body(start: SwapStart, end: SwapEnd));

        var page = await chromium.OpenAsync(app.BaseAddress, $"/?key={TestApp.ReadKey}");

        await Assertions.Expect(Conflict(page)).ToContainTextAsync("Ada");
        await Assertions.Expect(Requests(page)).ToContainTextAsync("open");
        await Assertions.Expect(page.Locator("#coverage button, #coverage select")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("#board button")).ToHaveCountAsync(0);
        await Chromium.ScreenshotAsync(page, "page-swaps-read-only");
    }

    [Fact]
    public async Task AcceptSwap_AlreadyTakenElsewhere_ShowsAlreadyTaken()
    {
        await using var app = await StartWithConflictAsync();
        var swap = await app.RequestOkAsync(SwapKit.Body(start: SwapStart, end: SwapEnd));
        var page = await chromium.OpenAsync(app.BaseAddress, $"/?key={TestApp.AdminKey}");
        var request = Requests(page);
        await Assertions.Expect(request).ToHaveCountAsync(1);
        (await app.ActAsync(swap.Id(), "accept", "lin@example.com")).Dispose();

        await request.GetByRole(AriaRole.Button, new() { Name = "Accept" }).ClickAsync();

        await Assertions.Expect(page.Locator("#coverage-error")).ToContainTextAsync("already taken");
        await Assertions.Expect(page.Locator("#coverage")).ToContainTextAsync("No open swap requests in the next 14 days.");
    }

    [Fact]
    public async Task Open_PhoneWidth_CoverageFitsWithoutSidewaysScrolling()
    {
        await using var app = await StartWithConflictAsync();
        await app.RequestOkAsync(SwapKit.Body(start: SwapStart, end: SwapEnd));

        var page = await chromium.OpenAsync(app.BaseAddress, $"/?key={TestApp.AdminKey}", width: 390, height: 844);

        await Assertions.Expect(Requests(page)).ToHaveCountAsync(1);
        Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= document.documentElement.clientWidth"));
        await Chromium.ScreenshotAsync(page, "page-swaps-phone");
    }

    /// <summary>The handoff settings with the coverage timer off too: every timer is run by hand.</summary>
    private static Dictionary<string, string> Settings()
    {
        var settings = HandoffKit.Settings();
        settings["AzureWebJobs.CheckCoverage.Disabled"] = "true";
        return settings;
    }

    private async Task<TestApp> StartWithConflictAsync()
    {
        var app = await TestApp.StartAsync(azurite.ConnectionString, Clocks.At(Api.Now), Settings());
        await app.CreateAsync();
        await app.AddTimeOffOkAsync("ada@example.com", TimeOffStart, TimeOffEnd);
        return app;
    }

    private static ILocator Conflict(IPage page) =>
        page.Locator("#coverage-problems tbody tr").Filter(new() { HasText = "conflict" });

    private static ILocator Requests(IPage page) => page.Locator("#swap-requests tbody tr");
}
