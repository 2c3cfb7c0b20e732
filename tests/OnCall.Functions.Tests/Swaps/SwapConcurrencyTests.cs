using System.Net;
using OnCall.TestSupport;

namespace OnCall.Functions.Tests.Swaps;

[Collection(StorageTests.Collection)]
public sealed class SwapConcurrencyTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task AcceptSwap_TenTeammatesAtOnce_ExactlyOneOverride()
    {
        await using var app = await SwapKit.StartAsync(azurite, rotation: SwapKit.Crew());

        // m0 is on call on the 13th, 09:00 to 09:00; offered to m1 … m10.
        var swap = await app.RequestOkAsync(SwapKit.Body(requester: "m0@example.com", start: "2026-11-13T09:00:00Z", end: "2026-11-14T09:00:00Z"), rotation: "crew");

        var responses = await Task.WhenAll(Enumerable.Range(1, 10).Select(i => app.ActAsync(swap.Id(), "accept", $"m{i}@example.com")));

        Assert.Equal((1, 9), (responses.Count(r => r.StatusCode == HttpStatusCode.OK), responses.Count(r => r.StatusCode == HttpStatusCode.Conflict)));
        var winner = (await Api.BodyAsync(responses.Single(r => r.StatusCode == HttpStatusCode.OK)))["takenBy"]!["email"]!.GetValue<string>();
        var made = Assert.Single(await app.OverridesAsync("crew"));
        Assert.Equal(winner, made!["member"]!["email"]!.GetValue<string>());
        foreach (var response in responses)
        {
            response.Dispose();
        }
    }

    [Fact]
    public async Task AcceptSwap_RacingCancel_ExactlyOneWins()
    {
        await using var app = await SwapKit.StartAsync(azurite);
        var swap = await app.RequestOkAsync();

        var (accept, cancel) = (app.ActAsync(swap.Id(), "accept", "lin@example.com"), app.ActAsync(swap.Id(), "cancel", "ada@example.com"));
        using var accepted = await accept;
        using var cancelled = await cancel;

        Assert.Equal(1, new[] { accepted, cancelled }.Count(r => r.StatusCode == HttpStatusCode.OK));
        var status = (await app.SwapAsync(swap.Id())).Status();
        var overrides = await app.OverridesAsync();
        Assert.Equal(accepted.StatusCode == HttpStatusCode.OK ? ("accepted", 1) : ("cancelled", 0), (status, overrides.Count));
    }
}
