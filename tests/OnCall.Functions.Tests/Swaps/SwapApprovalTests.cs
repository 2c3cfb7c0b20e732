using OnCall.TestSupport;

namespace OnCall.Functions.Tests.Swaps;

[Collection(StorageTests.Collection)]
public sealed class SwapApprovalTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task AcceptSwap_ApprovalRequired_WaitsWithoutOverride()
    {
        await using var app = await SwapKit.StartAsync(azurite, approval: true);
        var swap = await app.RequestOkAsync();

        using var response = await app.ActAsync(swap.Id(), "accept", "lin@example.com");

        Assert.Equal("pending-approval", (await Api.BodyAsync(response)).AsObject().Status());
        Assert.Empty(await app.OverridesAsync());
    }

    [Fact]
    public async Task ApproveSwap_BySupervisor_MakesTheOverride()
    {
        await using var app = await SwapKit.StartAsync(azurite, approval: true);
        var swap = await app.RequestOkAsync();
        (await app.ActAsync(swap.Id(), "accept", "lin@example.com")).Dispose();

        using var response = await app.ActAsync(swap.Id(), "approve", "dana@example.com");

        var approved = (await Api.BodyAsync(response)).AsObject();
        Assert.Equal(("accepted", "dana@example.com"), (approved.Status(), approved["decidedBy"]!.GetValue<string>()));
        Assert.Equal("lin@example.com", Assert.Single(await app.OverridesAsync())!["member"]!["email"]!.GetValue<string>());
    }

    [Fact]
    public async Task ApproveSwap_NotTheSupervisor_Returns400NamingBy()
    {
        await using var app = await SwapKit.StartAsync(azurite, approval: true);
        var swap = await app.RequestOkAsync();
        (await app.ActAsync(swap.Id(), "accept", "lin@example.com")).Dispose();

        using var response = await app.ActAsync(swap.Id(), "approve", "lin@example.com");

        await Api.AssertProblemAsync(response, 400, "by");
        Assert.Empty(await app.OverridesAsync());
    }

    [Fact]
    public async Task DeclineSwap_BySupervisor_DeclinedWithoutOverride()
    {
        await using var app = await SwapKit.StartAsync(azurite, approval: true);
        var swap = await app.RequestOkAsync();
        (await app.ActAsync(swap.Id(), "accept", "lin@example.com")).Dispose();

        using var response = await app.ActAsync(swap.Id(), "decline", "dana@example.com");

        Assert.Equal("declined", (await Api.BodyAsync(response)).AsObject().Status());
        Assert.Empty(await app.OverridesAsync());
    }

    [Fact]
    public async Task ApproveSwap_NotTakenYet_Returns409()
    {
        await using var app = await SwapKit.StartAsync(azurite, approval: true);
        var swap = await app.RequestOkAsync();

        using var response = await app.ActAsync(swap.Id(), "approve", "dana@example.com");

        await Api.AssertProblemAsync(response, 409, "id");
    }

    [Fact]
    public async Task AcceptSwap_ApprovalRequired_SupervisorGetsReviewLink()
    {
        await using var slack = new FakeSlack();
        await slack.StartAsync();
        await using var app = await SwapKit.StartAsync(azurite, slack, approval: true);
        var swap = await app.RequestOkAsync();

        (await app.ActAsync(swap.Id(), "accept", "lin@example.com")).Dispose();

        var message = slack.Messages[^1].ToJsonString();
        Assert.Contains("Swap to approve", message, StringComparison.Ordinal);
        Assert.Contains($"/api/swaps/{swap.Id()}/review?e=dana%40example.com", message, StringComparison.Ordinal);
    }
}
