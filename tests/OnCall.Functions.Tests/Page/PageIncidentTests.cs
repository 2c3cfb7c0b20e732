using Microsoft.Playwright;
using OnCall.Functions.Tests.Incidents;
using OnCall.TestSupport;

namespace OnCall.Functions.Tests.Page;

[Collection(StorageTests.Collection)]
public sealed class PageIncidentTests(AzuriteFixture azurite, Chromium chromium) : IClassFixture<Chromium>
{
    [Fact]
    public async Task Refresh_IncidentOpenedThroughWebhook_AppearsWithSeverityAndCommander()
    {
        await using var app = await TestApp.StartAsync(azurite.ConnectionString, Clocks.At(Api.Now), IncidentKit.Settings(listen: false));
        await app.CreateAsync();
        var page = await chromium.OpenAsync(app.BaseAddress, $"/?key={TestApp.ReadKey}");
        await Assertions.Expect(page.Locator("#incidents")).ToContainTextAsync("No open incidents");

        await app.OpenAsync(IncidentKit.Generic(severity: "critical", title: "Checkout is failing"));
        await page.GetByRole(AriaRole.Button, new() { Name = "Refresh" }).ClickAsync();

        var row = page.Locator("#incidents tbody tr").Filter(new() { HasText = "Checkout is failing" });
        await Assertions.Expect(row).ToContainTextAsync("critical");
        await Assertions.Expect(row).ToContainTextAsync("Lin");
        await Assertions.Expect(row).ToContainTextAsync("open");
        await Chromium.ScreenshotAsync(page, "page-incident");
    }

    [Fact]
    public async Task Refresh_IncidentResolved_LeavesTheOpenList()
    {
        await using var app = await TestApp.StartAsync(azurite.ConnectionString, Clocks.At(Api.Now), IncidentKit.Settings(listen: false));
        await app.CreateAsync();
        var id = await app.OpenAsync();
        var page = await chromium.OpenAsync(app.BaseAddress, $"/?key={TestApp.ReadKey}");
        await Assertions.Expect(page.Locator("#incidents")).ToContainTextAsync("Database down");

        using (var resolved = await app.SetStatusAsync(id, "resolved"))
        {
            Assert.True(resolved.IsSuccessStatusCode);
        }

        await page.GetByRole(AriaRole.Button, new() { Name = "Refresh" }).ClickAsync();

        await Assertions.Expect(page.Locator("#incidents")).ToContainTextAsync("No open incidents");
    }
}
