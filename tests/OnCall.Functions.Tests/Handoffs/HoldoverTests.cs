using OnCall.TestSupport;

namespace OnCall.Functions.Tests.Handoffs;

[Collection(StorageTests.Collection)]
public sealed class HoldoverTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task OnCall_HandoffMissed_OutgoingShownAsHoldover()
    {
        var clock = Clocks.At(Api.Now);
        await using var app = await TestApp.StartAsync(azurite.ConnectionString, clock, HandoffKit.Settings());
        await app.MissAsync(clock);

        var secondary = (await app.Reader.GetJsonAsync("/api/rotations/platform/oncall"))["onCall"]!.AsArray().Single(s => s!["layer"]!.GetValue<string>() == "secondary")!;

        Assert.Equal(("lin@example.com", true, HandoffKit.Id), (secondary["member"]!["email"]!.GetValue<string>(), secondary["holdover"]!.GetValue<bool>(), secondary["handoffId"]!.GetValue<string>()));
    }

    [Fact]
    public async Task OnCall_MissedThenAcknowledged_IncomingShownWithoutHoldover()
    {
        var clock = Clocks.At(Api.Now);
        await using var app = await TestApp.StartAsync(azurite.ConnectionString, clock, HandoffKit.Settings());
        await app.MissAsync(clock);
        (await app.AcknowledgeAsync()).Dispose();

        var secondary = (await app.Reader.GetJsonAsync("/api/rotations/platform/oncall"))["onCall"]!.AsArray().Single(s => s!["layer"]!.GetValue<string>() == "secondary")!;

        Assert.Equal(("ada@example.com", false), (secondary["member"]!["email"]!.GetValue<string>(), secondary["holdover"]!.GetValue<bool>()));
    }
}
