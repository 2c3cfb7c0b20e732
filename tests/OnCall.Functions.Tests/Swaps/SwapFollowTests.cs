using System.Net;
using OnCall.Functions.Tests.Handoffs;
using OnCall.TestSupport;

namespace OnCall.Functions.Tests.Swaps;

/// <summary>An accepted swap reaches everything that follows the rotation: the feed, the handoffs and their acknowledgement.</summary>
[Collection(StorageTests.Collection)]
public sealed class SwapFollowTests(AzuriteFixture azurite)
{
    // In the crew rotation m0 hands over to m1 at CrewDue, within a day of CrewNow.
    private const string CrewNow = "2026-11-13T12:00:00Z";
    private const string CrewDue = "2026-11-14T09:00:00Z";

    [Fact]
    public async Task AcceptSwap_ThenPlanHandoffs_IncomingIsTheTaker()
    {
        await using var app = await TestApp.StartAsync(azurite.ConnectionString, Clocks.At(CrewNow), SwapKit.Settings());
        await app.CreateAsync(SwapKit.Crew());
        await app.RunAsync("PlanHandoffs");
        var swap = await app.RequestOkAsync(SwapKit.Body(requester: "m1@example.com", start: CrewDue, end: "2026-11-15T09:00:00Z", offeredTo: ["m5@example.com"]), rotation: "crew");

        (await app.ActAsync(swap.Id(), "accept", "m5@example.com")).Dispose();
        await app.RunAsync("PlanHandoffs");

        Assert.Equal("m5@example.com", (await CrewHandoffAsync(app))["incoming"]!["email"]!.GetValue<string>());
    }

    [Fact]
    public async Task AcceptSwap_ThenAcknowledge_OnlyTheTakerMay()
    {
        var clock = Clocks.At(CrewNow);
        await using var app = await TestApp.StartAsync(azurite.ConnectionString, clock, SwapKit.Settings());
        await app.CreateAsync(SwapKit.Crew());
        await app.RunAsync("PlanHandoffs");
        var swap = await app.RequestOkAsync(SwapKit.Body(requester: "m1@example.com", start: CrewDue, end: "2026-11-15T09:00:00Z", offeredTo: ["m5@example.com"]), rotation: "crew");
        (await app.ActAsync(swap.Id(), "accept", "m5@example.com")).Dispose();
        await app.RunAsync("PlanHandoffs");
        clock.SetUtcNow(DateTimeOffset.Parse("2026-11-14T08:30:00Z", System.Globalization.CultureInfo.InvariantCulture));
        var id = (await CrewHandoffAsync(app))["id"]!.GetValue<string>();

        using var byRequester = await app.AcknowledgeAsync("m1@example.com", id);
        using var byTaker = await app.AcknowledgeAsync("m5@example.com", id);

        await Api.AssertProblemAsync(byRequester, 400, "by");
        Assert.Equal(HttpStatusCode.OK, byTaker.StatusCode);
    }

    [Fact]
    public async Task AcceptSwap_FeedShowsTheTakersOverride()
    {
        await using var app = await TestApp.StartAsync(azurite.ConnectionString, Clocks.At(Api.Now), SwapKit.Settings());
        var feed = (await app.CreateAsync())["feedUrl"]!.GetValue<string>();
        var swap = await app.RequestOkAsync();

        (await app.ActAsync(swap.Id(), "accept", "lin@example.com")).Dispose();

        var ics = await app.Client.GetStringAsync(new Uri(feed).PathAndQuery);
        Assert.Contains(@"SUMMARY:On call: Lin (Platform on-call primary\, override)", ics, StringComparison.Ordinal);
    }

    private static async Task<System.Text.Json.Nodes.JsonNode> CrewHandoffAsync(TestApp app) =>
        (await app.ListAsync("?rotation=crew&from=2026-11-14T00:00:00Z&to=2026-11-15T00:00:00Z")).Single(h => h!["due"]!.GetValue<string>() == CrewDue)!;
}
