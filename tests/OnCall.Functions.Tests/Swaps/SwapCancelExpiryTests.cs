using System.Globalization;
using System.Net;
using OnCall.TestSupport;

namespace OnCall.Functions.Tests.Swaps;

[Collection(StorageTests.Collection)]
public sealed class SwapCancelExpiryTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task CancelSwap_Open_CancelledAndNoLongerTakeable()
    {
        await using var app = await SwapKit.StartAsync(azurite);
        var swap = await app.RequestOkAsync();

        using var cancelled = await app.ActAsync(swap.Id(), "cancel", "ada@example.com");
        using var accepted = await app.ActAsync(swap.Id(), "accept", "lin@example.com");

        Assert.Equal("cancelled", (await Api.BodyAsync(cancelled)).AsObject().Status());
        await Api.AssertProblemAsync(accepted, 409, "id");
        Assert.Empty(await app.OverridesAsync());
    }

    [Fact]
    public async Task CancelSwap_Accepted_Returns409AndKeepsTheOverride()
    {
        await using var app = await SwapKit.StartAsync(azurite);
        var swap = await app.RequestOkAsync();
        (await app.ActAsync(swap.Id(), "accept", "lin@example.com")).Dispose();

        using var response = await app.ActAsync(swap.Id(), "cancel", "ada@example.com");

        await Api.AssertProblemAsync(response, 409, "id");
        Assert.Single(await app.OverridesAsync());
    }

    [Fact]
    public async Task RequestSwap_AfterCancel_SameSpanAccepted()
    {
        await using var app = await SwapKit.StartAsync(azurite);
        var first = await app.RequestOkAsync();
        (await app.ActAsync(first.Id(), "cancel", "ada@example.com")).Dispose();

        var second = await app.RequestOkAsync();

        Assert.Equal("open", second.Status());
    }

    [Fact]
    public async Task AcceptSwap_AfterItsStart_Returns409Expired()
    {
        var clock = Clocks.At(Api.Now);
        await using var app = await TestApp.StartAsync(azurite.ConnectionString, clock, SwapKit.Settings());
        await app.CreateAsync();
        var swap = await app.RequestOkAsync();
        clock.SetUtcNow(DateTimeOffset.Parse(SwapKit.AdaStart, CultureInfo.InvariantCulture));

        using var response = await app.ActAsync(swap.Id(), "accept", "lin@example.com");

        await Api.AssertProblemAsync(response, 409, "id");
        Assert.Equal("expired", (await app.SwapAsync(swap.Id())).Status());
        Assert.Empty(await app.OverridesAsync());
    }

    [Fact]
    public async Task ListSwaps_StatusFilter_ListsOnlyThatStatus()
    {
        var clock = Clocks.At(Api.Now);
        await using var app = await TestApp.StartAsync(azurite.ConnectionString, clock, SwapKit.Settings());
        await app.CreateAsync();
        var expiring = await app.RequestOkAsync(SwapKit.Body(start: "2026-11-12T15:00:00Z", end: "2026-11-13T15:00:00Z", layer: "secondary"));
        var open = await app.RequestOkAsync();
        clock.SetUtcNow(DateTimeOffset.Parse("2026-11-12T16:00:00Z", CultureInfo.InvariantCulture));

        var expired = (await app.Reader.GetJsonAsync("/api/swaps?status=expired&rotation=platform")).AsArray();
        var stillOpen = (await app.Reader.GetJsonAsync("/api/swaps?status=open")).AsArray();

        Assert.Equal(expiring.Id(), Assert.Single(expired)!["id"]!.GetValue<string>());
        Assert.Equal(open.Id(), Assert.Single(stillOpen)!["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task ListSwaps_UnknownStatus_Returns400NamingStatus()
    {
        await using var app = await SwapKit.StartAsync(azurite);

        using var response = await app.Reader.GetAsync("/api/swaps?status=taken");

        await Api.AssertProblemAsync(response, 400, "status");
    }

    [Fact]
    public async Task DeleteRotation_WithSwaps_RemovesThem()
    {
        await using var app = await SwapKit.StartAsync(azurite);
        var swap = await app.RequestOkAsync();

        (await app.Admin.DeleteAsync("/api/rotations/platform")).Dispose();

        using var response = await app.Reader.GetAsync($"/api/swaps/{swap.Id()}");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
