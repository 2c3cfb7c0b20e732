using Microsoft.Playwright;
using OnCall.Functions.Tests.Handoffs;
using OnCall.TestSupport;

namespace OnCall.Functions.Tests.Page;

[Collection(StorageTests.Collection)]
public sealed class PagePhoneTests(AzuriteFixture azurite, Chromium chromium) : IClassFixture<Chromium>
{
    [Fact]
    public async Task Open_PhoneWidth_FitsWithoutSidewaysScrolling()
    {
        var clock = Clocks.At(Api.Now);
        await using var app = await TestApp.StartAsync(azurite.ConnectionString, clock, HandoffKit.Settings());
        await app.MissAsync(clock);

        var page = await chromium.OpenAsync(app.BaseAddress, $"/?key={TestApp.ReadKey}", width: 390, height: 844);

        await Assertions.Expect(page.Locator("#handoffs")).ToContainTextAsync("missed");
        Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= document.documentElement.clientWidth"));
        await Chromium.ScreenshotAsync(page, "page-phone");
    }
}
