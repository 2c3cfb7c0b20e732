using Microsoft.Playwright;
using OnCall.TestSupport;

namespace OnCall.Functions.Tests.Page;

[Collection(StorageTests.Collection)]
public sealed class PageKeyTests(AzuriteFixture azurite, Chromium chromium) : IClassFixture<Chromium>
{
    [Fact]
    public async Task Open_WithoutKey_AsksForKeyAndShowsNothing()
    {
        await using var app = await TestApp.StartAsync(azurite.ConnectionString, Clocks.At(Api.Now));
        await app.CreateAsync();

        var page = await chromium.OpenAsync(app.BaseAddress);

        await Assertions.Expect(page.GetByLabel("Access key")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#board")).ToBeHiddenAsync();
        Assert.DoesNotContain("Lin", await page.Locator("body").InnerTextAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Open_KeyInAddress_KeyMovesToSessionAndLeavesAddress()
    {
        await using var app = await TestApp.StartAsync(azurite.ConnectionString, Clocks.At(Api.Now));
        await app.CreateAsync();

        var page = await chromium.OpenAsync(app.BaseAddress, $"/?key={TestApp.ReadKey}");

        await Assertions.Expect(page.Locator("#oncall")).ToContainTextAsync("Platform on-call");
        Assert.DoesNotContain("key=", page.Url, StringComparison.Ordinal);
        Assert.Equal(TestApp.ReadKey, await page.EvaluateAsync<string>("() => sessionStorage.getItem('oncall.key')"));
    }

    [Fact]
    public async Task SignIn_WrongKey_AskedAgainWithReason()
    {
        await using var app = await TestApp.StartAsync(azurite.ConnectionString, Clocks.At(Api.Now));
        var page = await chromium.OpenAsync(app.BaseAddress);

        await page.GetByLabel("Access key").FillAsync("not-the-key-0123456789");
        await page.GetByLabel("Access key").PressAsync("Enter");

        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("not accepted");
        await Assertions.Expect(page.Locator("#board")).ToBeHiddenAsync();
    }

    [Fact]
    public async Task SignIn_KeyboardOnly_ShowsBoardAndForgetClearsIt()
    {
        await using var app = await TestApp.StartAsync(azurite.ConnectionString, Clocks.At(Api.Now));
        await app.CreateAsync();
        var page = await chromium.OpenAsync(app.BaseAddress);

        await page.Keyboard.TypeAsync(TestApp.ReadKey);
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.Locator("#oncall")).ToContainTextAsync("Platform on-call");
        await page.GetByRole(AriaRole.Button, new() { Name = "Forget key" }).ClickAsync();

        await Assertions.Expect(page.GetByLabel("Access key")).ToBeVisibleAsync();
        Assert.Null(await page.EvaluateAsync<string?>("() => sessionStorage.getItem('oncall.key')"));
    }
}
