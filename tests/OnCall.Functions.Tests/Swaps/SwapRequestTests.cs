using System.Net;
using OnCall.TestSupport;

namespace OnCall.Functions.Tests.Swaps;

[Collection(StorageTests.Collection)]
public sealed class SwapRequestTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task RequestSwap_OwnShift_Returns201OpenOfferedToTheLayersOthers()
    {
        await using var app = await SwapKit.StartAsync(azurite);

        using var response = await app.RequestAsync(SwapKit.Body());

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var swap = (await Api.BodyAsync(response)).AsObject();
        Assert.Equal(("open", "lin@example.com"), (swap.Status(), swap["offeredTo"]!.AsArray().Single()!["email"]!.GetValue<string>()));
        Assert.Equal($"/api/swaps/{swap.Id()}", response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task RequestSwap_PartOfOwnShift_Returns201()
    {
        await using var app = await SwapKit.StartAsync(azurite);

        var swap = await app.RequestOkAsync(SwapKit.Body(start: "2026-11-20T15:00:00Z", end: "2026-11-21T15:00:00Z"));

        Assert.Equal("open", swap.Status());
    }

    [Fact]
    public async Task RequestSwap_SomeoneElsesShift_Returns400NamingStart()
    {
        await using var app = await SwapKit.StartAsync(azurite);

        // Lin is on primary that week.
        using var response = await app.RequestAsync(SwapKit.Body(start: "2026-11-23T15:00:00Z", end: "2026-11-24T15:00:00Z"));

        await Api.AssertProblemAsync(response, 400, "start");
    }

    [Fact]
    public async Task RequestSwap_SpanRunningPastOwnShift_Returns400NamingStart()
    {
        await using var app = await SwapKit.StartAsync(azurite);

        using var response = await app.RequestAsync(SwapKit.Body(end: "2026-11-24T15:00:00Z"));

        await Api.AssertProblemAsync(response, 400, "start");
    }

    [Fact]
    public async Task RequestSwap_UnknownRequester_Returns400NamingRequester()
    {
        await using var app = await SwapKit.StartAsync(azurite);

        using var response = await app.RequestAsync(SwapKit.Body(requester: "eve@example.com"));

        await Api.AssertProblemAsync(response, 400, "requester");
    }

    [Fact]
    public async Task RequestSwap_OfferedToUnknownMember_Returns400NamingIt()
    {
        await using var app = await SwapKit.StartAsync(azurite);

        using var response = await app.RequestAsync(SwapKit.Body(offeredTo: ["lin@example.com", "eve@example.com"]));

        await Api.AssertProblemAsync(response, 400, "offeredTo[1]");
    }

    [Fact]
    public async Task RequestSwap_EndBeforeStart_Returns400NamingEnd()
    {
        await using var app = await SwapKit.StartAsync(azurite);

        using var response = await app.RequestAsync(SwapKit.Body(start: SwapKit.AdaEnd, end: SwapKit.AdaStart));

        await Api.AssertProblemAsync(response, 400, "end");
    }

    [Fact]
    public async Task RequestSwap_StartInThePast_Returns400NamingStart()
    {
        await using var app = await SwapKit.StartAsync(azurite);

        // Lin's primary shift began on the 9th.
        using var response = await app.RequestAsync(SwapKit.Body(requester: "lin@example.com", start: "2026-11-09T15:00:00Z", end: "2026-11-16T15:00:00Z"));

        await Api.AssertProblemAsync(response, 400, "start");
    }

    [Fact]
    public async Task RequestSwap_OverlapsOpenRequest_Returns409AndStoresNothing()
    {
        await using var app = await SwapKit.StartAsync(azurite);
        await app.RequestOkAsync();

        using var response = await app.RequestAsync(SwapKit.Body(start: "2026-11-20T15:00:00Z", end: "2026-11-21T15:00:00Z"));

        await Api.AssertProblemAsync(response, 409, "start");
        Assert.Single((await app.Reader.GetJsonAsync("/api/swaps")).AsArray());
    }

    [Fact]
    public async Task RequestSwap_UnknownRotation_Returns404()
    {
        await using var app = await SwapKit.StartAsync(azurite);

        using var response = await app.RequestAsync(SwapKit.Body(), rotation: "nope");

        await Api.AssertProblemAsync(response, 404);
    }

    [Fact]
    public async Task RequestSwap_ReadKey_Returns403()
    {
        await using var app = await SwapKit.StartAsync(azurite);

        using var response = await app.Reader.PostAsync("/api/rotations/platform/swaps", Api.Json(SwapKit.Body()));

        await Api.AssertProblemAsync(response, 403);
    }
}
