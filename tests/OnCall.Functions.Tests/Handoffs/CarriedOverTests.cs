using OnCall.Functions.Tests.Incidents;
using OnCall.TestSupport;

namespace OnCall.Functions.Tests.Handoffs;

/// <summary>At <see cref="Api.Now"/> Lin is primary (so commands new incidents) and hands secondary to Ada at 15:00Z.</summary>
[Collection(StorageTests.Collection)]
public sealed class CarriedOverTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task PlanHandoffs_OutgoingCommandsAnOpenIncident_CarriedOver()
    {
        await using var app = await TestApp.StartAsync(azurite.ConnectionString, Clocks.At(Api.Now), Settings());
        await app.CreateAsync();
        var id = await app.OpenAsync();

        await app.RunAsync("PlanHandoffs");

        var item = Assert.Single((await app.HandoffAsync())["carriedOver"]!.AsArray());
        Assert.Equal($"Database down (major, open; incident {id})", item!.GetValue<string>());
    }

    [Fact]
    public async Task PlanHandoffs_IncidentResolvedBeforeTheHandoff_NoLongerCarriedOver()
    {
        var clock = Clocks.At(Api.Now);
        await using var app = await TestApp.StartAsync(azurite.ConnectionString, clock, Settings());
        await app.CreateAsync();
        var id = await app.OpenAsync();
        await app.RunAsync("PlanHandoffs");
        using (var resolved = await app.SetStatusAsync(id, "resolved"))
        {
            Assert.True(resolved.IsSuccessStatusCode);
        }

        clock.SetUtcNow(DateTimeOffset.Parse("2026-11-12T14:10:00Z", System.Globalization.CultureInfo.InvariantCulture));
        await app.RunAsync("PlanHandoffs");

        Assert.Empty((await app.HandoffAsync())["carriedOver"]!.AsArray());
    }

    [Fact]
    public async Task FlagMissed_CarriedOverIncident_NamedInTheSupervisorMessage()
    {
        await using var slack = new FakeSlack();
        await slack.StartAsync();
        var clock = Clocks.At(Api.Now);
        await using var app = await TestApp.StartAsync(azurite.ConnectionString, clock, Settings(slack));
        await app.CreateAsync();
        await app.OpenAsync();
        await app.RunAsync("PlanHandoffs");
        clock.SetUtcNow(DateTimeOffset.Parse("2026-11-12T15:31:00Z", System.Globalization.CultureInfo.InvariantCulture));

        await app.RunAsync("FlagMissedHandoffs");

        Assert.Contains("Database down", Assert.Single(slack.Messages).ToJsonString(), StringComparison.Ordinal);
    }

    private static Dictionary<string, string> Settings(FakeSlack? slack = null)
    {
        var settings = HandoffKit.Settings(slack);
        foreach (var (key, value) in IncidentKit.Settings(listen: false))
        {
            settings[key] = value;
        }

        return settings;
    }
}
