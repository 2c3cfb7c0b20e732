using System.Text.Json.Nodes;
using NodaTime.Text;
using OnCall.Functions.Tests.GoogleSync;
using OnCall.Functions.Tests.Handoffs;
using OnCall.Functions.Tests.Incidents;
using OnCall.Infrastructure.Swaps;
using OnCall.TestSupport;

namespace OnCall.Functions.Tests.Telemetry;

[Collection(StorageTests.Collection)]
public sealed class SecretScanTests(AzuriteFixture azurite)
{
    /// <summary>
    /// Every kind of secret the app holds goes through a full run (keys in headers and in ?code=, the feed token, a signed
    /// link, webhook secrets, chat webhook URLs, the Statuspage key, the GitHub token, the Google key and its access
    /// token), and no exported span, metric point or log record holds any of them.
    /// </summary>
    [Fact]
    public async Task FullRun_EverySecret_InNoExportedSpanMetricOrLog()
    {
        var capture = new TelemetryCapture();
        await using var slack = new FakeSlack();
        await slack.StartAsync();
        await using var teams = new FakeTeams();
        await teams.StartAsync();
        await using var statuspage = new FakeStatuspage();
        await statuspage.StartAsync();
        await using var github = new FakeGitHub();
        await github.StartAsync();
        await using var google = new FakeGoogleCalendar();
        await google.StartAsync();
        var settings = IncidentKit.Settings(statuspage, github);
        foreach (var (key, value) in GoogleSyncKit.Settings(google).Concat(HandoffKit.Settings(slack, teams, links: true)))
        {
            settings[key] = value;
        }

        settings["Logging:LogLevel:Default"] = "Trace";
        capture.ForeignServerPorts.UnionWith([slack.BaseAddress.Port, teams.BaseAddress.Port, statuspage.BaseAddress.Port, github.BaseAddress.Port, google.BaseAddress.Port]);
        await using var app = await TestApp.StartAsync(azurite.ConnectionString, settings: settings, services: capture.Register);

        var created = await app.CreateAsync(GoogleSyncKit.Rotation());
        var feedToken = created["feedToken"]!.GetValue<string>();
        (await app.Client.GetAsync(new Uri(created["feedUrl"]!.GetValue<string>()).PathAndQuery)).Dispose();
        (await app.Client.GetAsync($"/api/rotations/platform?code={TestApp.ReadKey}")).Dispose();
        await app.RunAsync("SyncCalendars");
        var offer = await OfferNextShiftAsync(app);
        var id = await app.OpenAsync();
        await app.IncidentWhenAsync(id, i => i.State("statuspage") == "created");
        (await app.Client.PostAsync($"/api/incidents?code={IncidentKit.Secret}", Api.Json(IncidentKit.Generic(status: "resolved")))).Dispose();
        await app.IncidentWhenAsync(id, i => i.State("postMortem") == "created");
        capture.FlushMetrics(app);

        string[] secrets =
        [
            TestApp.AdminKey, TestApp.ReadKey, IncidentKit.Secret, HandoffKit.LinkKey, feedToken, offer,
            slack.WebhookToken, teams.Signature, teams.WorkflowId, statuspage.ApiKey, github.Token,
            JsonNode.Parse(google.ServiceAccountJson)!["private_key"]!.GetValue<string>().Split('\n')[1],
            .. google.AccessTokens,
        ];
        Assert.Contains(capture.Texts, t => t.Contains("ProcessIncidentEvent", StringComparison.Ordinal));
        Assert.Contains(capture.Texts, t => t.StartsWith("oncall.incidents.opened", StringComparison.Ordinal));
        var leaks = capture.Texts.SelectMany(t => secrets.Where(s => t.Contains(s, StringComparison.Ordinal)).Select(s => $"{s[..4]}…: {t}")).ToList();
        Assert.True(leaks.Count == 0, string.Join("\n", leaks));
    }

    /// <summary>Offers the first primary shift more than an hour away by its signed link (a swap, told on Slack and Teams); returns the link's signature.</summary>
    private static async Task<string> OfferNextShiftAsync(TestApp app)
    {
        var now = DateTimeOffset.UtcNow;
        var shifts = (await app.Reader.GetJsonAsync($"/api/rotations/platform/shifts?from={now:yyyy-MM-ddTHH:mm:ssZ}&to={now.AddDays(30):yyyy-MM-ddTHH:mm:ssZ}")).AsArray();
        var shift = shifts.First(s => s!["layer"]!.GetValue<string>() == "primary" && DateTimeOffset.Parse(s["start"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture) > now.AddHours(1))!;
        var link = app.Service<SwapLinks>().OfferLink(
            "platform",
            "primary",
            InstantPattern.General.Parse(shift["start"]!.GetValue<string>()).Value,
            InstantPattern.General.Parse(shift["end"]!.GetValue<string>()).Value,
            shift["member"]!["email"]!.GetValue<string>())!;
        (await app.Client.GetAsync(link.PathAndQuery)).Dispose();
        using var offered = await app.Client.PostAsync(link.PathAndQuery, null);
        Assert.Equal(System.Net.HttpStatusCode.Created, offered.StatusCode);
        return System.Web.HttpUtility.ParseQueryString(link.Query)["sig"]!;
    }
}
