using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using OnCall.Core.Jobs;
using OnCall.Core.Swaps;
using OnCall.Core.Tests.Fakes;
using OnCall.Core.TimeOff;
using static OnCall.Core.Tests.Rotations;

namespace OnCall.Core.Tests.Coverage;

/// <summary>
/// Coverage checks of every rotation and their jobs, with every port in memory. As in CoverageCheckServiceTests: the
/// clock at 2026-11-12 12:00Z, Ada on call on primary from 16 to 23 November (15:00Z), within the 14 days looked at.
/// </summary>
public sealed class CoverageCheckAllTests
{
    private readonly FakeTimeProvider _clock = new(Utc("2026-11-12T12:00:00Z").ToDateTimeOffset());
    private readonly InMemoryRotations _rotations = new();
    private readonly InMemoryTimeOff _timeOff = new();
    private readonly InMemoryCoverageNotices _notices = new();
    private readonly ScriptedNotifier _notifier = new();

    public CoverageCheckAllTests()
    {
        _rotations.Seed(Rotation());
        var payments = Settings() with { Id = "payments", Name = "Payments" };
        _rotations.Seed(Core.Rotations.Rotation.Create(payments, "hash", Utc("2026-01-01T00:00:00Z")));
        _timeOff.Add(Ada.Email, "2026-11-20T00:00:00Z", "2026-11-21T00:00:00Z");
    }

    [Fact]
    public async Task CheckAllAsync_EveryRotationChecked()
    {
        await Service().CheckAllAsync();

        Assert.Equal(
            ["Coverage conflict: Payments / primary", "Coverage conflict: Platform / primary"], _notifier.Sent.Select(n => n.Title));
    }

    [Fact]
    public async Task CheckAllAsync_OneRotationFails_OthersCheckedThenTheRunFails()
    {
        _timeOff.FailFor = "payments";

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => Service().CheckAllAsync());

        Assert.Contains("payments", error.Message, StringComparison.Ordinal);
        Assert.Equal("Coverage conflict: Platform / primary", Assert.Single(_notifier.Sent).Title);
    }

    [Fact]
    public async Task CheckCoverageJob_ChecksEveryRotation()
    {
        await new CheckCoverageJob(Service()).RunAsync();

        Assert.Equal(2, _notifier.Sent.Count);
    }

    [Fact]
    public async Task CheckRotationCoverageJob_ChecksTheOneRotation()
    {
        var item = new WorkItem<CoverageCheck>("m1", new CoverageCheck("platform"), 1);

        await new CheckRotationCoverageJob(Service()).HandleAsync(item);

        Assert.Equal("Coverage conflict: Platform / primary", Assert.Single(_notifier.Sent).Title);
    }

    [Fact]
    public async Task CheckAsync_TimeOffLonger_ToldChangedWithWhatItWas()
    {
        await Service().CheckAsync("platform");
        _timeOff.Entries.Clear();
        _timeOff.Add(Ada.Email, "2026-11-20T00:00:00Z", "2026-11-22T00:00:00Z");

        await Service().CheckAsync("platform");

        var changed = _notifier.Sent[^1];
        Assert.Equal("Coverage conflict changed: Platform / primary", changed.Title);
        Assert.Contains(changed.Lines, l => l.StartsWith("It was from Thu 19 Nov 2026 19:00", StringComparison.Ordinal));
    }

    [Fact]
    public async Task CheckAsync_LinksConfigured_ConflictCarriesTheEngineersOfferLink()
    {
        await Service(new PlainSwapLinks()).CheckAsync("platform");

        var link = Assert.Single(_notifier.Sent).Link?.Url;
        Assert.Equal(new Uri("https://oncall.example.com/offer/platform/primary?as=ada@example.com"), link);
    }

    [Fact]
    public async Task CheckAsync_LayerNotStartedYet_ToldAGap()
    {
        _timeOff.Entries.Clear();
        _rotations.Seed(Rotation(layers: Layer(anchor: "2026-11-20")));

        await Service().CheckAsync("platform");

        var gap = Assert.Single(_notifier.Sent);
        Assert.Equal("Coverage gap: Platform / primary", gap.Title);
        Assert.StartsWith("Nobody is on call on primary from Thu 12 Nov 2026 07:00", gap.Lines[0], StringComparison.Ordinal);
    }

    private CoverageCheckService Service(ISwapLinks? links = null) => new(
        _rotations,
        _timeOff,
        _notices,
        _notifier,
        links ?? new NoSwapLinks(),
        new CoverageSettings(CoverageSettings.DefaultLookAhead),
        PlainMeterFactory.Metrics(),
        _clock,
        NullLogger<CoverageCheckService>.Instance);
}
