using Microsoft.Playwright;
using OnCall.Functions.Tests.Handoffs;
using OnCall.TestSupport;

namespace OnCall.Functions.Tests.Page;

[Collection(StorageTests.Collection)]
public sealed class PageLayoutTests(AzuriteFixture azurite, Chromium chromium) : IClassFixture<Chromium>
{
    [Fact]
    public async Task Calendars_At1280Px_TableFitsItsCard()
    {
        await using var app = await TestApp.StartAsync(azurite.ConnectionString, Clocks.At(Api.Now), HandoffKit.Settings());
        var rotation = Api.Rotation();
        rotation["calendarId"] = "c_0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef@group.calendar.google.com";
        await app.CreateAsync(rotation);

        var page = await chromium.OpenAsync(app.BaseAddress, $"/?key={TestApp.AdminKey}", width: 1280);
        await Assertions.Expect(page.Locator("#calendars tbody tr")).ToHaveCountAsync(1);
        await page.Locator("#calendars").GetByRole(AriaRole.Button).First.ClickAsync();
        await Assertions.Expect(page.Locator("#calendars .feed-url")).ToHaveCountAsync(1);

        Assert.True(await page.EvaluateAsync<bool>("() => { const card = document.querySelector('#calendars').closest('.card'); return card.querySelector('table').scrollWidth <= card.clientWidth; }"));
        await Chromium.ScreenshotAsync(page, "page-calendars-1280");
    }

    [Fact]
    public async Task Open_PhoneWidth_NoCellShowsAnEmptyLabel()
    {
        var clock = Clocks.At(Api.Now);
        await using var app = await TestApp.StartAsync(azurite.ConnectionString, clock, HandoffKit.Settings());
        await app.MissAsync(clock);

        var page = await chromium.OpenAsync(app.BaseAddress, $"/?key={TestApp.AdminKey}", width: 390, height: 844);
        await Assertions.Expect(page.Locator("#handoffs")).ToContainTextAsync("missed");

        var labels = await page.EvaluateAsync<string[]>("() => [...document.querySelectorAll('td')].map(td => getComputedStyle(td, '::before').content).filter(c => c !== 'none')");
        Assert.NotEmpty(labels);
        Assert.DoesNotContain(labels, l => l.Trim('"').Trim() == ":");
        await Chromium.ScreenshotAsync(page, "page-phone-admin");
    }
}
