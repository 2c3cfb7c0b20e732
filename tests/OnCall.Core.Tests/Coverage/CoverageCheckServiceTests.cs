using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using OnCall.Core.Notifications;
using OnCall.Core.TimeOff;
using static OnCall.Core.Tests.Rotations;

namespace OnCall.Core.Tests.Coverage;

/// <summary>
/// The check with its ports in memory. The rotation: one weekly layer in New York from 2026-11-02 (Ada, then Lin); the
/// clock at 2026-11-12 12:00Z, so Ada's shift of 16–23 November (15:00Z) is within the 14 days looked at.
/// </summary>
public sealed class CoverageCheckServiceTests
{
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.Parse("2026-11-12T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
    private readonly InMemoryTimeOff _timeOff = new();
    private readonly InMemoryCoverageNotices _notices = new();
    private readonly ScriptedNotifier _notifier = new();

    [Fact]
    public async Task CheckAsync_ConflictCheckedTwice_ToldOnce()
    {
        _timeOff.Add(Ada.Email, "2026-11-20T00:00:00Z", "2026-11-21T00:00:00Z");

        await Service().CheckAsync("platform");
        await Service().CheckAsync("platform");

        Assert.Equal(["Coverage conflict: Platform / primary"], _notifier.Sent.Select(n => n.Title));
    }

    [Fact]
    public async Task CheckAsync_Conflict_NamesEngineerSupervisorAndLocalTimes()
    {
        _timeOff.Add(Ada.Email, "2026-11-20T00:00:00Z", "2026-11-21T00:00:00Z");

        await Service().CheckAsync("platform");

        var text = string.Join("\n", Assert.Single(_notifier.Sent).Lines);
        Assert.Contains("Ada is on call on primary from Thu 19 Nov 2026 19:00 America/New_York (2026-11-20T00:00:00Z) to Fri 20 Nov 2026 19:00 America/New_York (2026-11-21T00:00:00Z)", text, StringComparison.Ordinal);
        Assert.Contains("Dana: please make sure someone covers it", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckAsync_ConflictWithoutLinkKey_SaysHowToAskForASwap()
    {
        _timeOff.Add(Ada.Email, "2026-11-20T00:00:00Z", "2026-11-21T00:00:00Z");

        await Service().CheckAsync("platform");

        var notice = Assert.Single(_notifier.Sent);
        Assert.Null(notice.Link);
        Assert.Contains(notice.Lines, l => l.StartsWith("No offer link", StringComparison.Ordinal));
    }

    [Fact]
    public async Task CheckAsync_TimeOffGone_ToldSolvedOnce()
    {
        _timeOff.Add(Ada.Email, "2026-11-20T00:00:00Z", "2026-11-21T00:00:00Z");
        await Service().CheckAsync("platform");
        _timeOff.Entries.Clear();

        await Service().CheckAsync("platform");
        await Service().CheckAsync("platform");

        Assert.Equal(["Coverage conflict: Platform / primary", "Coverage conflict solved: Platform / primary"], _notifier.Sent.Select(n => n.Title));
    }

    [Fact]
    public async Task CheckAsync_ConflictEnded_ForgottenSilently()
    {
        _timeOff.Add(Ada.Email, "2026-11-20T00:00:00Z", "2026-11-21T00:00:00Z");
        await Service().CheckAsync("platform");
        _clock.SetUtcNow(DateTimeOffset.Parse("2026-11-21T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));

        await Service().CheckAsync("platform");

        Assert.Single(_notifier.Sent);
        Assert.Empty(_notices.All);
    }

    [Fact]
    public async Task CheckAsync_ChannelFailed_RetriedOnlyThereOnNextCheck()
    {
        _timeOff.Add(Ada.Email, "2026-11-20T00:00:00Z", "2026-11-21T00:00:00Z");
        _notifier.Outcome = DeliveryStatus.Failed;
        await Service().CheckAsync("platform");
        _notifier.Outcome = DeliveryStatus.Sent;

        await Service().CheckAsync("platform");
        await Service().CheckAsync("platform");

        Assert.Equal([null, new HashSet<NotificationChannel> { NotificationChannel.Slack }], _notifier.Sent.Select(n => n.OnlyChannels));
    }

    [Fact]
    public async Task CheckAsync_RotationGone_NoticesRemoved()
    {
        var left = Notices.Known(Notices.Conflict("2026-11-20T00:00:00Z", "2026-11-21T00:00:00Z"), "2026-11-12T12:00:00Z", "2026-11-26T12:00:00Z").Notice with { RotationId = "gone" };
        await _notices.AddIfAbsentAsync(left);

        await Service().CheckAsync("gone");

        Assert.Empty(_notices.All);
    }

    private CoverageCheckService Service() => new(
        new OneRotation(Rotation("America/New_York", Layer())),
        _timeOff,
        _notices,
        _notifier,
        new NoSwapLinks(),
        new CoverageSettings(CoverageSettings.DefaultLookAhead),
        PlainMeterFactory.Metrics(),
        _clock,
        NullLogger<CoverageCheckService>.Instance);
}
