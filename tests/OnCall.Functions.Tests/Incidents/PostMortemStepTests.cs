using OnCall.Core.Incidents;
using OnCall.TestSupport;

namespace OnCall.Functions.Tests.Incidents;

/// <summary>The post-mortem issue, through Octokit against a fake GitHub.</summary>
[Collection(StorageTests.Collection)]
public sealed class PostMortemStepTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Resolve_Major_OpensOneLabelledIssueWithTheMarker()
    {
        await using var github = await StartAsync();
        await using var app = await TestApp.StartAsync(azurite.ConnectionString, settings: IncidentKit.Settings(github: github));
        var id = await app.OpenAsync();

        await app.ReportOkAsync(IncidentKit.Generic(status: "resolved"));

        var incident = await app.IncidentWhenAsync(id, i => i.State("postMortem") == "created");
        var issue = github.Issues.Single();
        Assert.Equal(
            ("Post-mortem: Database down", issue["html_url"]!.GetValue<string>()),
            (issue["title"]!.GetValue<string>(), incident["postMortem"]!["url"]!.GetValue<string>()));
        Assert.Contains(PostMortemWriter.Marker(id), issue["body"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(["post-mortem", "severity:major"], issue["labels"]!.AsArray().Select(l => l!["name"]!.GetValue<string>()));
        Assert.Equal(["post-mortem", "severity:major"], github.Labels.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Resolve_GitHub500Twice_StillOneIssue()
    {
        await using var github = await StartAsync();
        github.Enqueue(FakeResponse.Status(500, """{"message":"Server Error"}"""), times: 2);
        await using var app = await TestApp.StartAsync(azurite.ConnectionString, settings: IncidentKit.Settings(github: github));
        var id = await app.OpenAsync();

        await app.ReportOkAsync(IncidentKit.Generic(status: "resolved"));

        await app.IncidentWhenAsync(id, i => i.State("postMortem") == "created");
        Assert.Single(github.Issues);
    }

    [Fact]
    public async Task Resolve_IssueFiledByAnAttemptThatDiedBeforeSaving_IsFoundNotFiledAgain()
    {
        await using var github = await StartAsync();
        await using var app = await TestApp.StartAsync(azurite.ConnectionString, settings: IncidentKit.Settings(github: github));
        var id = await app.OpenAsync();
        var filed = github.AddIssue("Post-mortem: Database down", $"filed before a crash\n\n{PostMortemWriter.Marker(id)}\n");

        await app.ReportOkAsync(IncidentKit.Generic(status: "resolved"));

        var incident = await app.IncidentWhenAsync(id, i => i.State("postMortem") == "created");
        Assert.Single(github.Issues);
        Assert.Equal(filed["html_url"]!.GetValue<string>(), incident["postMortem"]!["url"]!.GetValue<string>());
    }

    [Fact]
    public async Task Resolve_Minor_FilesNothingAndSaysWhy()
    {
        await using var github = await StartAsync();
        await using var app = await TestApp.StartAsync(azurite.ConnectionString, settings: IncidentKit.Settings(github: github));
        var id = await app.OpenAsync(IncidentKit.Generic(severity: "minor"));

        await app.ReportOkAsync(IncidentKit.Generic(severity: "minor", status: "resolved"));

        var incident = await app.IncidentWhenAsync(id, i => i.State("postMortem") == "skipped");
        Assert.Empty(github.Issues);
        Assert.Contains(incident["timeline"]!.AsArray(), t => t!["message"]!.GetValue<string>().StartsWith("Post-mortem skipped: severity minor", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Resolve_GitHubNotConfigured_TimelineSaysSkipped()
    {
        await using var app = await TestApp.StartAsync(azurite.ConnectionString, settings: IncidentKit.Settings());
        var id = await app.OpenAsync();

        await app.ReportOkAsync(IncidentKit.Generic(status: "resolved"));

        var incident = await app.IncidentWhenAsync(id, i => i.State("postMortem") == "skipped");
        Assert.Contains(incident["timeline"]!.AsArray(), t => t!["message"]!.GetValue<string>() == "Post-mortem skipped: the GitHub integration is not configured.");
    }

    [Fact]
    public async Task Resolve_SecondaryRateLimit_WaitsForRetryAfterThenFiles()
    {
        await using var github = await StartAsync();
        github.Enqueue(SecondaryRateLimit(retryAfterSeconds: 2));
        await using var app = await TestApp.StartAsync(azurite.ConnectionString, settings: IncidentKit.Settings(github: github));
        var id = await app.OpenAsync();

        await app.ReportOkAsync(IncidentKit.Generic(status: "resolved"));

        await app.IncidentWhenAsync(id, i => i.State("postMortem") == "created");
        var requests = github.Requests;
        Assert.True(requests[1].ReceivedAt - requests[0].ReceivedAt >= TimeSpan.FromSeconds(1.9), $"retried after {requests[1].ReceivedAt - requests[0].ReceivedAt}");
        Assert.Single(github.Issues);
    }

    [Fact]
    public async Task Resolve_AnotherEventWhileRateLimited_WaitsForRetryAfterToo()
    {
        await using var github = await StartAsync();
        github.Enqueue(SecondaryRateLimit(retryAfterSeconds: 4));
        await using var app = await TestApp.StartAsync(azurite.ConnectionString, settings: IncidentKit.Settings(github: github));
        var id = await app.OpenAsync();
        await app.ReportOkAsync(IncidentKit.Generic(status: "resolved"));
        var waiting = await app.IncidentWhenAsync(id, i => i.State("postMortem") == "failed");
        Assert.NotNull(waiting["postMortem"]!["retryAt"]);

        // A repeated resolve queues a second event, which runs at once: it must not ask GitHub before the pause ends.
        await app.ReportOkAsync(IncidentKit.Generic(status: "resolved"));

        await app.IncidentWhenAsync(id, i => i.State("postMortem") == "created");
        var requests = github.Requests;
        Assert.True(requests[1].ReceivedAt - requests[0].ReceivedAt >= TimeSpan.FromSeconds(3.9), $"retried after {requests[1].ReceivedAt - requests[0].ReceivedAt}");
        Assert.Single(github.Issues);
    }

    [Fact]
    public async Task Resolve_StatuspageRefusingEveryUpdate_StillFilesThePostMortem()
    {
        await using var statuspage = new FakeStatuspage();
        await statuspage.StartAsync();
        await using var github = await StartAsync();
        await using var app = await TestApp.StartAsync(azurite.ConnectionString, settings: IncidentKit.Settings(statuspage, github));
        var id = await app.OpenAsync();
        await app.IncidentWhenAsync(id, i => i.State("statuspage") == "created");
        statuspage.Enqueue(FakeResponse.Status(401, """{"error":"Couldn't authenticate you"}"""), times: 1000);

        await app.ReportOkAsync(IncidentKit.Generic(status: "resolved"));

        // The failed event is tried again at once (visibility timeout 0), and each try claims Statuspage (pending) before
        // failing it again: wait for a moment between tries rather than read whichever state the last poll caught.
        var incident = await app.IncidentWhenAsync(id, i => i.State("postMortem") == "created" && i.State("statuspage") == "failed");
        Assert.Equal(("created", "failed"), (incident.State("postMortem"), incident.State("statuspage")));
        Assert.Single(github.Issues);
    }

    private static FakeResponse SecondaryRateLimit(int retryAfterSeconds) => new()
    {
        StatusCode = 403,
        RetryAfter = retryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
        Body = """{"message":"You have exceeded a secondary rate limit. Please wait a few minutes before you try again.","documentation_url":"https://docs.github.com/rest"}""",
        ContentType = "application/json",
    };

    private static async Task<FakeGitHub> StartAsync()
    {
        var github = new FakeGitHub();
        await github.StartAsync();
        return github;
    }
}
