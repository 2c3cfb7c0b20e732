using OnCall.TestSupport;
using static OnCall.Functions.Tests.Coverage.CoverageKit;

namespace OnCall.Functions.Tests.Coverage;

[Collection(StorageTests.Collection)]
public sealed class CoverageRetryTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task CheckCoverage_SlackAnswers500ThenOk_SlackRetriedTeamsNotRepeated()
    {
        await using var slack = new FakeSlack();
        await using var teams = new FakeTeams();
        await slack.StartAsync();
        await teams.StartAsync();
        slack.Enqueue(FakeResponse.Status(500, "rollup_error"));
        var clock = Clocks.At(Api.Now);
        await using var app = await TestApp.StartAsync(azurite.ConnectionString, clock, Settings(slack, teams));
        await app.CreateAsync();
        await app.AddTimeOffOkAsync("ada@example.com", AwayStart, AwayEnd);
        await app.CheckCoverageAsync();
        var afterFirst = (Slack: slack.Messages.Count, Teams: teams.Messages.Count);
        clock.Advance(TimeSpan.FromHours(1));

        await app.CheckCoverageAsync();
        await app.CheckCoverageAsync();

        Assert.Equal((0, 1), afterFirst);
        Assert.Equal((1, 1), (slack.Messages.Count, teams.Messages.Count));
    }
}
