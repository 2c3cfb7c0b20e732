using System.Net;
using OnCall.TestSupport;

namespace OnCall.Functions.Tests.Swaps;

[Collection(StorageTests.Collection)]
public sealed class SwapAcceptTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task AcceptSwap_Offered_MakesOneOverrideForTheTaker()
    {
        await using var app = await SwapKit.StartAsync(azurite);
        var swap = await app.RequestOkAsync();

        using var response = await app.ActAsync(swap.Id(), "accept", "lin@example.com");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var accepted = (await Api.BodyAsync(response)).AsObject();
        var made = Assert.Single(await app.OverridesAsync());
        Assert.Equal(("accepted", accepted["overrideId"]!.GetValue<string>()), (accepted.Status(), made!["id"]!.GetValue<string>()));
        Assert.Equal(("lin@example.com", SwapKit.AdaStart, SwapKit.AdaEnd), (made["member"]!["email"]!.GetValue<string>(), made["start"]!.GetValue<string>(), made["end"]!.GetValue<string>()));
    }

    [Fact]
    public async Task AcceptSwap_Accepted_ShiftsShowTheTaker()
    {
        await using var app = await SwapKit.StartAsync(azurite);
        var swap = await app.RequestOkAsync();
        (await app.ActAsync(swap.Id(), "accept", "lin@example.com")).Dispose();

        var shifts = (await app.Reader.GetJsonAsync($"/api/rotations/platform/shifts?from={SwapKit.AdaStart}&to=2026-11-17T00:00:00Z")).AsArray();

        Assert.Equal("lin@example.com", shifts.Single(s => s!["layer"]!.GetValue<string>() == "primary")!["member"]!["email"]!.GetValue<string>());
    }

    [Fact]
    public async Task AcceptSwap_SecondTaker_Returns409AlreadyTaken()
    {
        await using var app = await SwapKit.StartAsync(azurite);
        var swap = await app.RequestOkAsync();
        (await app.ActAsync(swap.Id(), "accept", "lin@example.com")).Dispose();

        using var response = await app.ActAsync(swap.Id(), "accept", "lin@example.com");

        await Api.AssertProblemAsync(response, 409, "id");
        Assert.Contains("already taken", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AcceptSwap_NotOfferedToThem_Returns400NamingBy()
    {
        await using var app = await SwapKit.StartAsync(azurite);
        var swap = await app.RequestOkAsync();

        using var response = await app.ActAsync(swap.Id(), "accept", "ada@example.com");

        await Api.AssertProblemAsync(response, 400, "by");
        Assert.Empty(await app.OverridesAsync());
    }

    [Fact]
    public async Task AcceptSwap_UnknownId_Returns404()
    {
        await using var app = await SwapKit.StartAsync(azurite);

        using var response = await app.ActAsync("platform.0123456789abcdef0123456789abcdef", "accept", "lin@example.com");

        await Api.AssertProblemAsync(response, 404);
    }

    [Fact]
    public async Task AcceptSwap_MalformedId_Returns400NamingId()
    {
        await using var app = await SwapKit.StartAsync(azurite);

        using var response = await app.ActAsync("not-a-swap", "accept", "lin@example.com");

        await Api.AssertProblemAsync(response, 400, "id");
    }
}
