using Microsoft.Playwright;
using OnCall.Functions.Tests.Handoffs;
using OnCall.TestSupport;

namespace OnCall.Functions.Tests.Page;

[Collection(StorageTests.Collection)]
public sealed class PageCalendarTests(AzuriteFixture azurite, Chromium chromium) : IClassFixture<Chromium>
{
    [Fact]
    public async Task Open_CalendarSyncedWithGoogleOff_ShowsWhyNothingWasSynced()
    {
        await using var app = await TestApp.StartAsync(azurite.ConnectionString, Clocks.At(Api.Now), HandoffKit.Settings());
        var rotation = Api.Rotation();
        rotation["calendarId"] = "platform-oncall@group.calendar.google.com";
        await app.CreateAsync(rotation);
        await app.RunAsync("SyncCalendars");

        var page = await chromium.OpenAsync(app.BaseAddress, $"/?key={TestApp.ReadKey}");

        var row = page.Locator("#calendars tbody tr").Filter(new() { HasText = "Platform on-call" });
        await Assertions.Expect(row).ToContainTextAsync("platform-oncall@group.calendar.google.com");
        await Assertions.Expect(row).ToContainTextAsync("not configured");
    }
}
