using OnCall.TestSupport;

namespace OnCall.Functions.Tests.Handoffs;

[Collection(StorageTests.Collection)]
public sealed class ReminderTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task FlagMissed_WithinReminderLead_RemindsIncomingOnceWithLink()
    {
        await using var slack = new FakeSlack();
        await slack.StartAsync();
        await using var app = await TestApp.StartAsync(azurite.ConnectionString, Clocks.At(Api.Now), HandoffKit.Settings(slack, links: true));
        await app.CreateAsync();
        await app.RunAsync("PlanHandoffs");

        await app.RunAsync("FlagMissedHandoffs");
        await app.RunAsync("FlagMissedHandoffs");

        var message = Assert.Single(slack.Messages).ToJsonString();
        Assert.Contains("Ada, you take secondary over from Lin", message, StringComparison.Ordinal);
        Assert.Contains($"http://oncall.example.com/api/handoffs/{HandoffKit.Id}/ack?e=ada%40example.com", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FlagMissed_BeforeReminderLead_NoReminder()
    {
        await using var slack = new FakeSlack();
        await slack.StartAsync();
        var settings = HandoffKit.Settings(slack);
        settings["OnCall:Handoffs:ReminderLead"] = "02:00:00";
        await using var app = await TestApp.StartAsync(azurite.ConnectionString, Clocks.At(Api.Now), settings);
        await app.CreateAsync();
        await app.RunAsync("PlanHandoffs");

        await app.RunAsync("FlagMissedHandoffs");

        Assert.Empty(slack.Messages);
    }

    [Fact]
    public async Task FlagMissed_LinksNotConfigured_MessageSaysHowToAcknowledge()
    {
        await using var slack = new FakeSlack();
        await slack.StartAsync();
        await using var app = await TestApp.StartAsync(azurite.ConnectionString, Clocks.At(Api.Now), HandoffKit.Settings(slack));
        await app.CreateAsync();
        await app.RunAsync("PlanHandoffs");

        await app.RunAsync("FlagMissedHandoffs");

        Assert.Contains("No acknowledge link", Assert.Single(slack.Messages).ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_ReminderLeadBeyondTheDayPlanned_FailsNamingTheSetting()
    {
        var settings = HandoffKit.Settings();
        settings["OnCall:Handoffs:ReminderLead"] = "2.00:00:00";

        var error = await Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(() => TestApp.StartAsync(azurite.ConnectionString, settings: settings));

        Assert.Contains("OnCall:Handoffs:ReminderLead", error.Message, StringComparison.Ordinal);
    }
}
