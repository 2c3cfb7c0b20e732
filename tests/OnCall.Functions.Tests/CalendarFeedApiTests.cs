using System.Net;
using OnCall.TestSupport;

namespace OnCall.Functions.Tests;

[Collection(StorageTests.Collection)]
public sealed class CalendarFeedApiTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task GetCalendarFeed_RightToken_ServesShiftsFromFifteenDaysAgoToHorizon()
    {
        await using var app = await TestApp.StartAsync(azurite.ConnectionString, Clocks.At(Api.Now));
        var token = (await app.CreateAsync())["feedToken"]!.GetValue<string>();

        using var response = await app.Client.GetAsync($"/api/rotations/platform/calendar.ics?token={token}");

        Assert.Equal("text/calendar", response.Content.Headers.ContentType?.MediaType);
        var ics = await response.Content.ReadAsStringAsync();
        Assert.Contains("DTSTART:20261102T150000Z", ics, StringComparison.Ordinal);
        Assert.Contains("DTSTART:20270104T150000Z", ics, StringComparison.Ordinal);
        Assert.DoesNotContain("DTSTART:20270111T150000Z", ics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetCalendarFeed_ServedFeed_IsReadByIndependentParser()
    {
        await using var app = await TestApp.StartAsync(azurite.ConnectionString, Clocks.At(Api.Now));
        var url = (await app.CreateAsync())["feedUrl"]!.GetValue<string>();

        var document = await IndependentIcsReader.ReadAsync(await app.Client.GetStringAsync(url));

        var shifts = (await app.Reader.GetJsonAsync("/api/rotations/platform/shifts?from=2026-10-28T12:00:00Z&to=2027-01-07T12:00:00Z")).AsArray();
        Assert.Equal(("Platform on-call", shifts.Count), (document.Name, document.Events.Count));
        Assert.Equal(
            shifts.Select(s => $"{s!["eventId"]!.GetValue<string>()}@oncallfunctions").Order(StringComparer.Ordinal),
            document.Events.Select(e => e.Uid).Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("?token=wrong")]
    [InlineData("")]
    public async Task GetCalendarFeed_WrongOrMissingToken_Returns404(string query)
    {
        await using var app = await TestApp.StartAsync(azurite.ConnectionString);
        await app.CreateAsync();

        using var response = await app.Client.GetAsync($"/api/rotations/platform/calendar.ics{query}");

        await Api.AssertProblemAsync(response, 404);
    }

    [Fact]
    public async Task GetCalendarFeed_IfNoneMatchCurrentETag_Returns304()
    {
        await using var app = await TestApp.StartAsync(azurite.ConnectionString, Clocks.At(Api.Now));
        var url = (await app.CreateAsync())["feedUrl"]!.GetValue<string>();
        using var first = await app.Client.GetAsync(url);
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.IfNoneMatch.Add(first.Headers.ETag!);

        using var second = await app.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotModified, second.StatusCode);
    }

    [Fact]
    public async Task GetCalendarFeed_AfterOverride_ChangesETagAndSequence()
    {
        var clock = Clocks.At(Api.Now);
        await using var app = await TestApp.StartAsync(azurite.ConnectionString, clock);
        var url = (await app.CreateAsync())["feedUrl"]!.GetValue<string>();
        using var before = await app.Client.GetAsync(url);
        clock.Advance(TimeSpan.FromHours(1));
        (await app.AddOverrideAsync("2026-11-18T15:00:00Z", "2026-11-19T15:00:00Z")).Dispose();
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.IfNoneMatch.Add(before.Headers.ETag!);

        using var after = await app.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        var ics = await after.Content.ReadAsStringAsync();
        Assert.Contains("SEQUENCE:1", ics, StringComparison.Ordinal);
        Assert.Contains("LAST-MODIFIED:20261112T130000Z", ics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetCalendarFeed_ShiftRemovedByOverride_StaysAsCancelled()
    {
        var clock = Clocks.At(Api.Now);
        await using var app = await TestApp.StartAsync(azurite.ConnectionString, clock);
        var url = (await app.CreateAsync())["feedUrl"]!.GetValue<string>();
        (await app.Client.GetAsync(url)).Dispose();

        // Covering 14:00–17:00 around the 2026-11-16 15:00 handoff moves the next week's start to 17:00.
        (await app.AddOverrideAsync("2026-11-16T14:00:00Z", "2026-11-16T17:00:00Z")).Dispose();

        var ics = await app.Client.GetStringAsync(url);
        Assert.Contains("STATUS:CANCELLED", ics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RotateFeedToken_OldTokenStopsWorking()
    {
        await using var app = await TestApp.StartAsync(azurite.ConnectionString);
        var oldUrl = (await app.CreateAsync())["feedUrl"]!.GetValue<string>();

        using var rotated = await app.Admin.PostAsync("/api/rotations/platform/feed-token", null);
        var newUrl = (await Api.BodyAsync(rotated))["feedUrl"]!.GetValue<string>();

        Assert.Equal(HttpStatusCode.NotFound, (await app.Client.GetAsync(oldUrl)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await app.Client.GetAsync(newUrl)).StatusCode);
    }
}
