using NodaTime;
using OnCall.Core.Handoffs;
using OnCall.Core.Notifications;
using static OnCall.Core.Tests.Rotations;

namespace OnCall.Core.Tests;

public sealed class HandoffMissedEventTests
{
    // Rotations.Rotation(): primary hands over from Ada to Lin on 2026-11-09 at 15:00Z, grace 30 minutes.
    private static readonly Instant Due = Utc("2026-11-09T15:00:00Z");

    private readonly InMemoryHandoffs _handoffs = new();
    private readonly ScriptedNotifier _notifier = new();
    private readonly ScriptedEvents _events = new() { Outcome = DeliveryStatus.Failed };

    private HandoffService Service => new(_handoffs, new OneRotation(Rotation()), _notifier, _events, new NoLinks(), new NoCarriedOver(), new HandoffSettings(Duration.FromHours(1)), PlainMeterFactory.Metrics());

    [Fact]
    public async Task FlagMissed_EventFailsThenSucceeds_RepublishedWithSameMessageIdChatNotRepeated()
    {
        await Service.PlanAsync(Due);
        await Service.FlagMissedAsync(Due + Duration.FromMinutes(31));
        _events.Outcome = DeliveryStatus.Sent;

        await Service.FlagMissedAsync(Due + Duration.FromMinutes(36));
        await Service.FlagMissedAsync(Due + Duration.FromMinutes(41));

        Assert.Equal(2, _events.Published.Count);
        Assert.Equal(Handoff.IdFor("platform", "primary", Due), Assert.Single(_events.Published.Select(e => e.MessageId).Distinct()));
        Assert.Single(_notifier.Sent);
    }

    [Fact]
    public async Task FlagMissed_EscalationAndReminder_NoFurtherEvent()
    {
        _events.Outcome = DeliveryStatus.Sent;
        await Service.PlanAsync(Due);
        await Service.FlagMissedAsync(Due + Duration.FromMinutes(31));

        await Service.FlagMissedAsync(Due + Duration.FromMinutes(95));

        Assert.Equal((1, 2), (_events.Published.Count, _notifier.Sent.Count));
    }
}
