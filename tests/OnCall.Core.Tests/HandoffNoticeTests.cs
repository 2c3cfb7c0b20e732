using NodaTime;
using OnCall.Core.Handoffs;
using OnCall.Core.Notifications;
using static OnCall.Core.Tests.Rotations;

namespace OnCall.Core.Tests;

public sealed class HandoffNoticeTests
{
    // Rotations.Rotation(): primary hands over from Ada to Lin on 2026-11-09 at 15:00Z, grace 30 minutes.
    private static readonly Instant Due = Utc("2026-11-09T15:00:00Z");
    private static readonly string Id = Handoff.IdFor("platform", "primary", Due);

    private readonly InMemoryHandoffs _handoffs = new();
    private readonly ScriptedNotifier _notifier = new();
    private readonly ScriptedEvents _events = new();

    private HandoffService Service => new(_handoffs, new OneRotation(Rotation()), _notifier, _events, new NoLinks(), new NoCarriedOver(), new HandoffSettings(Duration.FromHours(1)), PlainMeterFactory.Metrics());

    [Fact]
    public async Task FlagMissed_ChannelKeepsFailing_StopsAfterMaxAttempts()
    {
        await Service.PlanAsync(Due);
        _notifier.Outcome = DeliveryStatus.Failed;

        for (var run = 0; run < HandoffNotice.MaxAttempts + 5; run++)
        {
            await Service.FlagMissedAsync(Due + Duration.FromMinutes(31) + Duration.FromMinutes(5 * run));
        }

        Assert.Equal(HandoffNotice.MaxAttempts, _notifier.Sent.Count(n => n.Title.StartsWith("Missed", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task FlagMissed_ClaimNeverRecorded_TakenAgainAfterTheLease()
    {
        await Service.PlanAsync(Due);
        var stored = (await _handoffs.FindAsync(Id))!;
        var crashed = (stored.Handoff with { Status = HandoffStatus.Missed, MissedAt = Due + Duration.FromMinutes(31) })
            .WithNotice(HandoffNoticeKind.Missed, new HandoffNotice(Due + Duration.FromMinutes(31), 1, null, null, [], []));
        await _handoffs.SaveAsync(crashed, stored.ETag);

        await Service.FlagMissedAsync(Due + Duration.FromMinutes(32));
        var withinLease = _notifier.Sent.Count;
        await Service.FlagMissedAsync(Due + Duration.FromMinutes(36));

        Assert.Equal((0, 1), (withinLease, _notifier.Sent.Count));
    }

    [Fact]
    public async Task FlagMissed_RetryAfterFailure_OnlyTheFailedChannel()
    {
        await Service.PlanAsync(Due);
        _notifier.Outcome = DeliveryStatus.Failed;
        await Service.FlagMissedAsync(Due + Duration.FromMinutes(31));
        _notifier.Outcome = DeliveryStatus.Sent;

        await Service.FlagMissedAsync(Due + Duration.FromMinutes(36));

        Assert.Equal([NotificationChannel.Slack], _notifier.Sent[^1].OnlyChannels!);
        Assert.Empty((await _handoffs.FindAsync(Id))!.Handoff.Notice(HandoffNoticeKind.Missed)!.Retry);
    }
}
