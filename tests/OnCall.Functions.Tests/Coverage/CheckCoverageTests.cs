using OnCall.TestSupport;
using static OnCall.Functions.Tests.Coverage.CoverageKit;

namespace OnCall.Functions.Tests.Coverage;

[Collection(StorageTests.Collection)]
public sealed class CheckCoverageTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task CheckCoverage_ConflictRunTwice_ToldOnce()
    {
        await using var slack = new FakeSlack();
        await slack.StartAsync();
        await using var app = await TestApp.StartAsync(azurite.ConnectionString, Clocks.At(Api.Now), Settings(slack));
        await app.CreateAsync();
        await app.AddTimeOffOkAsync("ada@example.com", AwayStart, AwayEnd);

        await app.CheckCoverageAsync();
        await app.CheckCoverageAsync();

        Assert.Equal([ConflictTitle], slack.Titles());
    }

    [Fact]
    public async Task CheckCoverage_TimeOffExtended_ToldAgainAsChanged()
    {
        await using var slack = new FakeSlack();
        await slack.StartAsync();
        await using var app = await TestApp.StartAsync(azurite.ConnectionString, Clocks.At(Api.Now), Settings(slack));
        await app.CreateAsync();
        await app.AddTimeOffOkAsync("ada@example.com", AwayStart, AwayEnd);
        await app.CheckCoverageAsync();
        await app.AddTimeOffOkAsync("ada@example.com", "2026-11-20T12:00:00Z", "2026-11-22T00:00:00Z");

        await app.CheckCoverageAsync();
        await app.CheckCoverageAsync();

        Assert.Equal([ConflictTitle, "Coverage conflict changed: Platform on-call / primary"], slack.Titles());
    }

    [Fact]
    public async Task CheckCoverage_OverrideCoversConflict_ToldSolvedOnce()
    {
        await using var slack = new FakeSlack();
        await slack.StartAsync();
        await using var app = await TestApp.StartAsync(azurite.ConnectionString, Clocks.At(Api.Now), Settings(slack));
        await app.CreateAsync();
        await app.AddTimeOffOkAsync("ada@example.com", AwayStart, AwayEnd);
        await app.CheckCoverageAsync();
        (await app.AddOverrideAsync(AwayStart, AwayEnd)).Dispose();

        await app.CheckCoverageAsync();
        await app.CheckCoverageAsync();

        Assert.Equal([ConflictTitle, "Coverage conflict solved: Platform on-call / primary"], slack.Titles());
    }

    [Fact]
    public async Task CheckCoverage_TimeOffRemoved_ToldSolvedOnce()
    {
        await using var slack = new FakeSlack();
        await slack.StartAsync();
        await using var app = await TestApp.StartAsync(azurite.ConnectionString, Clocks.At(Api.Now), Settings(slack));
        await app.CreateAsync();
        var id = await app.AddTimeOffOkAsync("ada@example.com", AwayStart, AwayEnd);
        await app.CheckCoverageAsync();
        (await app.Admin.DeleteAsync($"/api/rotations/platform/time-off/{id}")).Dispose();

        await app.CheckCoverageAsync();
        await app.CheckCoverageAsync();

        Assert.Equal([ConflictTitle, "Coverage conflict solved: Platform on-call / primary"], slack.Titles());
    }

    [Fact]
    public async Task CheckCoverage_GapPastWindowEnd_NotToldAgainAsClockAdvances()
    {
        await using var slack = new FakeSlack();
        await slack.StartAsync();
        var clock = Clocks.At(Api.Now);
        await using var app = await TestApp.StartAsync(azurite.ConnectionString, clock, Settings(slack));
        await app.CreateAsync(StartingLater());
        await app.CheckCoverageAsync();

        // A day on, the window reaches further; then the layer's start (1 December, 15:00Z) comes into view.
        clock.Advance(TimeSpan.FromDays(1));
        await app.CheckCoverageAsync();
        clock.Advance(TimeSpan.FromDays(7));
        await app.CheckCoverageAsync();

        Assert.Equal(["Coverage gap: Later / primary"], slack.Titles());
    }

    [Fact]
    public async Task CheckCoverage_LinkKeySet_ConflictCarriesTheEngineersOfferLink()
    {
        await using var slack = new FakeSlack();
        await slack.StartAsync();
        var settings = Settings(slack);
        settings["OnCall:Handoffs:LinkKey"] = Handoffs.HandoffKit.LinkKey;
        settings["OnCall:PublicBaseUrl"] = "http://oncall.example.com";
        await using var app = await TestApp.StartAsync(azurite.ConnectionString, Clocks.At(Api.Now), settings);
        await app.CreateAsync();
        await app.AddTimeOffOkAsync("ada@example.com", AwayStart, AwayEnd);

        await app.CheckCoverageAsync();

        Assert.Contains(
            "http://oncall.example.com/api/rotations/platform/swaps/offer?layer=primary&start=2026-11-20T00:00:00Z&end=2026-11-21T00:00:00Z&e=ada%40example.com&",
            Assert.Single(slack.Messages).ToJsonString().Replace("\\u0026", "&", StringComparison.Ordinal),
            StringComparison.Ordinal);
    }
}
