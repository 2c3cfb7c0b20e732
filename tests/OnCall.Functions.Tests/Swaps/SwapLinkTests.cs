using System.Net;
using System.Text.RegularExpressions;
using NodaTime.Text;
using OnCall.Infrastructure.Swaps;
using OnCall.TestSupport;

namespace OnCall.Functions.Tests.Swaps;

[Collection(StorageTests.Collection)]
public sealed partial class SwapLinkTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task RequestSwap_OfferedTeammate_GetsTakeThisShiftLink()
    {
        await using var slack = new FakeSlack();
        await slack.StartAsync();
        await using var app = await SwapKit.StartAsync(azurite, slack);

        var swap = await app.RequestOkAsync();

        var message = Assert.Single(slack.Messages).ToJsonString();
        Assert.Contains("Take this shift", message, StringComparison.Ordinal);
        Assert.Contains($"http://oncall.example.com/api/swaps/{swap.Id()}/take?e=lin%40example.com", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TakeLink_Get_ShowsPageAndChangesNothing()
    {
        await using var slack = new FakeSlack();
        await slack.StartAsync();
        await using var app = await SwapKit.StartAsync(azurite, slack);
        var swap = await app.RequestOkAsync();

        using var response = await app.Client.GetAsync(LinkIn(slack));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("<form method=\"post\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(("no-store", "open"), (response.Headers.CacheControl?.ToString(), (await app.SwapAsync(swap.Id())).Status()));
    }

    [Fact]
    public async Task TakeLink_Post_AcceptsAsTheLinksEmailAndTellsTheRequester()
    {
        await using var slack = new FakeSlack();
        await slack.StartAsync();
        await using var app = await SwapKit.StartAsync(azurite, slack);
        var swap = await app.RequestOkAsync();

        using var response = await app.Client.PostAsync(LinkIn(slack), null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var taken = await app.SwapAsync(swap.Id());
        Assert.Equal(("accepted", "lin@example.com"), (taken.Status(), taken["takenBy"]!["email"]!.GetValue<string>()));
        Assert.Contains("Ada, Lin (lin@example.com) takes your primary shift", slack.Messages[^1].ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TakeLink_Tampered_Returns403AndChangesNothing()
    {
        await using var slack = new FakeSlack();
        await slack.StartAsync();
        await using var app = await SwapKit.StartAsync(azurite, slack);
        var swap = await app.RequestOkAsync();

        using var response = await app.Client.PostAsync(LinkIn(slack).Replace("e=lin%40", "e=ada%40", StringComparison.Ordinal), null);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("open", (await app.SwapAsync(swap.Id())).Status());
    }

    [Fact]
    public async Task OfferLink_Post_OffersTheShiftToTeammates()
    {
        await using var app = await SwapKit.StartAsync(azurite);
        var link = app.Service<SwapLinks>().OfferLink(
            "platform", "primary", InstantPattern.General.Parse(SwapKit.AdaStart).Value, InstantPattern.General.Parse("2026-11-18T15:00:00Z").Value, "ada@example.com")!;

        using var page = await app.Client.GetAsync(link.PathAndQuery);
        using var response = await app.Client.PostAsync(link.PathAndQuery, null);

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.Created), (page.StatusCode, response.StatusCode));
        var swap = Assert.Single((await app.Reader.GetJsonAsync("/api/swaps")).AsArray())!;
        Assert.Equal(("ada@example.com", "2026-11-18T15:00:00Z"), (swap["requester"]!["email"]!.GetValue<string>(), swap["end"]!.GetValue<string>()));
    }

    [Fact]
    public async Task WithdrawLink_Post_CancelsAsTheRequester()
    {
        await using var app = await SwapKit.StartAsync(azurite);
        var swap = await app.RequestOkAsync();
        var stored = await app.Service<Core.Swaps.SwapService>().GetAsync(swap.Id());
        var link = app.Service<SwapLinks>().CancelLink(stored, "ada@example.com")!;

        using var response = await app.Client.PostAsync(link.PathAndQuery, null);

        var cancelled = await app.SwapAsync(swap.Id());
        Assert.Equal((HttpStatusCode.OK, "cancelled", "ada@example.com"), (response.StatusCode, cancelled.Status(), cancelled["decidedBy"]!.GetValue<string>()));
    }

    [Fact]
    public async Task ReviewLink_PostApprove_MakesTheOverride()
    {
        await using var slack = new FakeSlack();
        await slack.StartAsync();
        await using var app = await SwapKit.StartAsync(azurite, slack, approval: true);
        var swap = await app.RequestOkAsync();
        (await app.ActAsync(swap.Id(), "accept", "lin@example.com")).Dispose();
        var review = LinkIn(slack);

        using var page = await app.Client.GetAsync(review);
        using var response = await app.Client.PostAsync(review + "&decision=approve", null);

        Assert.Contains("decision=decline", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal((HttpStatusCode.OK, "accepted"), (response.StatusCode, (await app.SwapAsync(swap.Id())).Status()));
        Assert.Single(await app.OverridesAsync());
    }

    /// <summary>The path and query of the link in the newest Slack message.</summary>
    private static string LinkIn(FakeSlack slack)
    {
        var text = slack.Messages[^1]["text"]!.GetValue<string>();
        var match = LinkPattern().Match(text);
        Assert.True(match.Success, text);
        return new Uri(match.Groups[1].Value).PathAndQuery;
    }

    [GeneratedRegex(@"<(http://oncall\.example\.com/[^|>]+)\|")]
    private static partial Regex LinkPattern();
}
