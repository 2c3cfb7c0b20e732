using System.Globalization;
using OnCall.TestSupport;

namespace OnCall.Functions.Tests.Incidents;

/// <summary>A real Alertmanager notifying the app: amtool fires and resolves, Statuspage and GitHub follow.</summary>
[Collection(StorageTests.Collection)]
public sealed class AlertmanagerEndToEndTests(AzuriteFixture azurite)
{
    private static readonly string[] Labels = ["alertname=HighErrorRate", "severity=critical", "team=platform", "service=api", "component=api"];

    [Fact]
    public async Task Amtool_AddThenResolve_OpensAndResolvesIncidentStatuspageAndPostMortem()
    {
        await using var statuspage = new FakeStatuspage();
        await statuspage.StartAsync();
        await using var github = new FakeGitHub();
        await github.StartAsync();
        await using var app = await TestApp.StartAsync(azurite.ConnectionString, settings: IncidentKit.Settings(statuspage, github));
        await app.CreateAsync();
        await using var alertmanager = await AlertmanagerProcess.StartAsync(new Uri(app.BaseAddress, "api/incidents/alertmanager"), IncidentKit.Secret);
        var started = TimeProvider.System.GetUtcNow().AddMinutes(-1);

        await alertmanager.AmtoolAsync(["alert", "add", .. Labels, "--annotation=summary=High error rate of API requests", $"--start={Rfc3339(started)}"]);

        Assert.True(await LongerAsync(async () => (await app.Reader.GetJsonAsync("/api/incidents")).AsArray().Count == 1), "Alertmanager's notification did not open an incident");
        var id = (await app.Reader.GetJsonAsync("/api/incidents")).AsArray()[0]!["id"]!.GetValue<string>();
        var open = await app.IncidentWhenAsync(id, i => i.State("statuspage") == "created");
        Assert.Equal(("critical", "alertmanager", "major_outage"), (open["severity"]!.GetValue<string>(), open["source"]!.GetValue<string>(), statuspage.Incidents.Single()["components"]![0]!["status"]!.GetValue<string>()));

        await alertmanager.AmtoolAsync(["alert", "add", .. Labels, "--annotation=summary=High error rate of API requests", $"--start={Rfc3339(started)}", $"--end={Rfc3339(TimeProvider.System.GetUtcNow().AddSeconds(-1))}"]);

        Assert.True(await LongerAsync(async () => (await app.IncidentAsync(id)).State("postMortem") == "created"), "resolving did not reach GitHub");
        var resolved = await app.IncidentAsync(id);
        Assert.Equal(("resolved", "resolved", "resolved"), (resolved["status"]!.GetValue<string>(), resolved.State("statuspage"), statuspage.Incidents.Single()["status"]!.GetValue<string>()));
        Assert.Single(github.Issues);
    }

    private static string Rfc3339(DateTimeOffset at) => at.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);

    // Alertmanager batches notifications (group_wait, group_interval): allow it half a minute.
    private static async Task<bool> LongerAsync(Func<Task<bool>> condition)
    {
        for (var i = 0; i < 3; i++)
        {
            if (await Eventually.TrueAsync(condition))
            {
                return true;
            }
        }

        return false;
    }
}
