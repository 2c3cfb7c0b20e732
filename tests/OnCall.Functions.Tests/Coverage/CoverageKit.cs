using System.Text.Json.Nodes;
using OnCall.TestSupport;

namespace OnCall.Functions.Tests.Coverage;

/// <summary>
/// Shared by the coverage notice tests. With <see cref="Api.Rotation"/> and the clock at <see cref="Api.Now"/>
/// (2026-11-12 12:00Z), Ada is on call on primary from 16 to 23 November (15:00Z) and on no other layer then, so her
/// time off on 20 November (<see cref="AwayStart"/>–<see cref="AwayEnd"/>) is one conflict, within the 14 days looked at.
/// </summary>
internal static class CoverageKit
{
    public const string AwayStart = "2026-11-20T00:00:00Z";
    public const string AwayEnd = "2026-11-21T00:00:00Z";
    public const string ConflictTitle = "Coverage conflict: Platform on-call / primary";

    /// <summary>Every timer is run by hand; the queue function that checks after writes runs only when <paramref name="listen"/>.</summary>
    public static Dictionary<string, string> Settings(FakeSlack? slack = null, FakeTeams? teams = null, bool listen = false)
    {
        var settings = new Dictionary<string, string>
        {
            ["AzureWebJobs.PlanHandoffs.Disabled"] = "true",
            ["AzureWebJobs.FlagMissedHandoffs.Disabled"] = "true",
            ["AzureWebJobs.PruneFeedLedger.Disabled"] = "true",
            ["AzureWebJobs.SyncCalendars.Disabled"] = "true",
            ["AzureWebJobs.RemindStatuspageOpen.Disabled"] = "true",
            ["AzureWebJobs.CheckCoverage.Disabled"] = "true",
            ["OnCall:Notifications:Http:MaxRetryAttempts"] = "0",
            ["OnCall:Notifications:Http:AttemptTimeout"] = "00:00:01",
            ["OnCall:Notifications:Http:TotalTimeout"] = "00:00:02",
        };
        if (!listen)
        {
            settings["AzureWebJobs.CheckRotationCoverage.Disabled"] = "true";
        }

        if (slack is not null)
        {
            settings["OnCall:Notifications:SlackWebhookUrl"] = slack.WebhookUrl.AbsoluteUri;
        }

        if (teams is not null)
        {
            settings["OnCall:Notifications:TeamsWebhookUrl"] = teams.WebhookUrl.AbsoluteUri;
        }

        return settings;
    }

    public static Task CheckCoverageAsync(this TestApp app) => Handoffs.HandoffKit.RunAsync(app, "CheckCoverage");

    /// <summary>The header of each Slack message, in order.</summary>
    public static List<string> Titles(this FakeSlack slack) =>
        [.. slack.Messages.Select(m => m["blocks"]![0]!["text"]!["text"]!.GetValue<string>())];

    /// <summary>A rotation whose only layer starts on 1 December: a gap from now past the end of the 14 days looked at.</summary>
    public static JsonObject StartingLater() => JsonNode.Parse("""
        {
          "id": "later",
          "name": "Later",
          "timeZone": "America/New_York",
          "supervisor": {"name": "Dana Lee", "email": "dana@example.com"},
          "layers": [
            {"name": "primary", "shiftLength": "P7D", "handoffTime": "10:00", "anchor": "2026-12-01",
             "members": [{"name": "Ada", "email": "ada@example.com"}, {"name": "Lin", "email": "lin@example.com"}]}
          ]
        }
        """)!.AsObject();
}
