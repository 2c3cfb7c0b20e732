using System.Text.Json.Nodes;
using NodaTime;
using NodaTime.Text;
using OnCall.Core.Handoffs;
using OnCall.TestSupport;

namespace OnCall.Functions.Tests.Handoffs;

/// <summary>
/// Shared by the handoff tests. With <see cref="Api.Rotation"/> and the clock at <see cref="Api.Now"/>
/// (2026-11-12 12:00Z) the one boundary within a day is the secondary layer's at 15:00Z: Lin hands over to Ada.
/// </summary>
internal static class HandoffKit
{
    public const string Due = "2026-11-12T15:00:00Z";
    public const string LinkKey = "test-link-key-0123456789-0123456789";

    public static readonly Instant DueInstant = InstantPattern.General.Parse(Due).Value;

    public static readonly string Id = Handoff.IdFor("platform", "secondary", DueInstant);

    /// <summary>The timers are run by hand: the standalone scheduler is off for them.</summary>
    public static Dictionary<string, string> Settings(FakeSlack? slack = null, FakeTeams? teams = null, bool links = false)
    {
        var settings = new Dictionary<string, string>
        {
            ["AzureWebJobs.PlanHandoffs.Disabled"] = "true",
            ["AzureWebJobs.FlagMissedHandoffs.Disabled"] = "true",
            ["AzureWebJobs.PruneFeedLedger.Disabled"] = "true",
            ["AzureWebJobs.SyncCalendars.Disabled"] = "true",
            ["OnCall:Notifications:Http:MaxRetryAttempts"] = "0",
            ["OnCall:Notifications:Http:AttemptTimeout"] = "00:00:01",
            ["OnCall:Notifications:Http:TotalTimeout"] = "00:00:02",
        };
        if (slack is not null)
        {
            settings["OnCall:Notifications:SlackWebhookUrl"] = slack.WebhookUrl.AbsoluteUri;
        }

        if (teams is not null)
        {
            settings["OnCall:Notifications:TeamsWebhookUrl"] = teams.WebhookUrl.AbsoluteUri;
        }

        if (links)
        {
            settings["OnCall:Handoffs:LinkKey"] = LinkKey;
            settings["OnCall:PublicBaseUrl"] = "http://oncall.example.com";
        }

        return settings;
    }

    public static async Task RunAsync(this TestApp app, string timer)
    {
        using var response = await app.Admin.PostAsync($"/api/ops/run/{timer}", null);
        Assert.True(response.IsSuccessStatusCode, $"{timer}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    public static async Task<JsonArray> ListAsync(this TestApp app, string query = "") =>
        (await app.Reader.GetJsonAsync($"/api/handoffs{query}")).AsArray();

    public static async Task<JsonObject> HandoffAsync(this TestApp app) =>
        (await app.ListAsync()).Single(h => h!["id"]!.GetValue<string>() == Id)!.AsObject();

    public static Task<HttpResponseMessage> AcknowledgeAsync(this TestApp app, string by = "ada@example.com", string id = "") =>
        app.Admin.PostAsync($"/api/handoffs/{(id.Length == 0 ? Id : id)}/acknowledge", Api.Json(new JsonObject { ["by"] = by }));

    /// <summary>A rotation planned at <see cref="Api.Now"/>, then the clock moved past the grace and the scan run: the handoff is missed.</summary>
    public static async Task MissAsync(this TestApp app, Microsoft.Extensions.Time.Testing.FakeTimeProvider clock)
    {
        await app.CreateAsync();
        await app.RunAsync("PlanHandoffs");
        clock.SetUtcNow(DateTimeOffset.Parse("2026-11-12T15:31:00Z", System.Globalization.CultureInfo.InvariantCulture));
        await app.RunAsync("FlagMissedHandoffs");
    }
}
