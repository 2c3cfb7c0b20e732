using System.Net;
using OnCall.TestSupport;

namespace OnCall.Functions.Tests.Handoffs;

[Collection(StorageTests.Collection)]
public sealed class AcknowledgeHandoffTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Acknowledge_ByIncomingWithinTheHour_Acknowledged()
    {
        var clock = Clocks.At("2026-11-12T14:10:00Z");
        await using var app = await TestApp.StartAsync(azurite.ConnectionString, clock, HandoffKit.Settings());
        await app.CreateAsync();
        await app.RunAsync("PlanHandoffs");

        using var response = await app.AcknowledgeAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var handoff = await app.HandoffAsync();
        Assert.Equal(("acknowledged", "ada@example.com", false), (handoff["status"]!.GetValue<string>(), handoff["acknowledgedBy"]!.GetValue<string>(), handoff["late"]!.GetValue<bool>()));
    }

    [Fact]
    public async Task Acknowledge_MoreThanAnHourEarly_Returns409NamingId()
    {
        await using var app = await TestApp.StartAsync(azurite.ConnectionString, Clocks.At(Api.Now), HandoffKit.Settings());
        await app.CreateAsync();
        await app.RunAsync("PlanHandoffs");

        using var response = await app.AcknowledgeAsync();

        await Api.AssertProblemAsync(response, 409, "id");
    }

    [Fact]
    public async Task Acknowledge_Twice_SecondIsHarmless200()
    {
        var clock = Clocks.At("2026-11-12T15:05:00Z");
        await using var app = await TestApp.StartAsync(azurite.ConnectionString, clock, HandoffKit.Settings());
        await app.CreateAsync();
        await app.RunAsync("PlanHandoffs");
        (await app.AcknowledgeAsync()).Dispose();
        clock.Advance(TimeSpan.FromMinutes(5));

        using var again = await app.AcknowledgeAsync("dana@example.com");

        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        var handoff = await Api.BodyAsync(again);
        Assert.Equal(("ada@example.com", "2026-11-12T15:05:00Z"), (handoff["acknowledgedBy"]!.GetValue<string>(), handoff["acknowledgedAt"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Acknowledge_BySupervisor_Acknowledged()
    {
        await using var app = await TestApp.StartAsync(azurite.ConnectionString, Clocks.At("2026-11-12T15:05:00Z"), HandoffKit.Settings());
        await app.CreateAsync();
        await app.RunAsync("PlanHandoffs");

        using var response = await app.AcknowledgeAsync("dana@example.com");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Acknowledge_BySomeoneElse_Returns400NamingBy()
    {
        await using var app = await TestApp.StartAsync(azurite.ConnectionString, Clocks.At("2026-11-12T15:05:00Z"), HandoffKit.Settings());
        await app.CreateAsync();
        await app.RunAsync("PlanHandoffs");

        using var response = await app.AcknowledgeAsync("lin@example.com");

        await Api.AssertProblemAsync(response, 400, "by");
    }

    [Fact]
    public async Task Acknowledge_UnknownHandoff_Returns404()
    {
        await using var app = await TestApp.StartAsync(azurite.ConnectionString, Clocks.At(Api.Now), HandoffKit.Settings());

        using var response = await app.AcknowledgeAsync(id: "202611121500-00000000000000000000");

        await Api.AssertProblemAsync(response, 404);
    }
}
