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
    public async Task Load_IncidentWithHttpsLink_RendersItNoopenerNoreferrer()
    {
        await using var app = await TestApp.StartAsync(azurite.ConnectionString, Clocks.At(Api.Now), IncidentKit.Settings(listen: false));
        var body = IncidentKit.Generic();
        body["link"] = "https://grafana.example/d/db";
        await app.OpenAsync(body);

        var page = await chromium.OpenAsync(app.BaseAddress, $"/?key={TestApp.ReadKey}");

        var link = page.Locator("#incidents a", new() { HasText = "Alert" });
        await Assertions.Expect(link).ToHaveAttributeAsync("href", "https://grafana.example/d/db");
        await Assertions.Expect(link).ToHaveAttributeAsync("rel", "noopener noreferrer");
    }

    [Fact]
    public async Task Load_IncidentStoredWithJavaScriptLink_RendersNoLink()
    {
        await using var app = await TestApp.StartAsync(azurite.ConnectionString, Clocks.At(Api.Now), IncidentKit.Settings(listen: false));
        var id = await app.OpenAsync();
        var repository = app.Service<Core.Ports.IIncidentRepository>();
        var stored = (await repository.FindAsync(id))!;

        // Stored before links were checked: the page must not trust what the API returns.
        await repository.SaveAsync(stored.Incident with { Link = "javascript:alert(1)" }, stored.ETag);
        var page = await chromium.OpenAsync(app.BaseAddress, $"/?key={TestApp.ReadKey}");
        await Assertions.Expect(page.Locator("#incidents")).ToContainTextAsync("Database down");

        Assert.Equal(0, await page.Locator("#incidents a").CountAsync());
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
