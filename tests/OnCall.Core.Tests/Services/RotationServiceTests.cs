using NodaTime;
using OnCall.Core.Errors;
using OnCall.Core.Feeds;
using OnCall.Core.Rotations;
using OnCall.Core.Tests.Fakes;
using OnCall.Core.TimeOff;
using static OnCall.Core.Tests.Rotations;

namespace OnCall.Core.Tests.Services;

/// <summary>
/// The service with rotations, feed ledger and queue in memory; the clock at 2026-11-10 12:00Z, when Lin is on call on
/// Rotations.Settings()'s weekly primary layer (Ada from 2026-11-02 10:00 New York, then Lin).
/// </summary>
public sealed class RotationServiceTests
{
    private static readonly Instant Now = Utc("2026-11-10T12:00:00Z");

    private readonly RotationWorld _world = new(Now);

    private RotationService Service => _world.Service;

    [Fact]
    public async Task PutAsync_NewRotation_CreatedWithTheFeedTokenItsHashMatches()
    {
        var saved = await Service.PutAsync(Settings());

        Assert.True(saved.Created);
        Assert.True(FeedToken.Matches(saved.FeedToken, _world.Rotations["platform"].FeedTokenHash));
    }

    [Fact]
    public async Task PutAsync_NewRotation_CalendarReconciledAndCoverageCheckQueued()
    {
        await Service.PutAsync(Settings());

        Assert.NotNull(await _world.Ledger.GetStateAsync("platform"));
        Assert.NotEmpty(_world.Ledger.EntriesOf("platform"));
        Assert.Equal([new CoverageCheck("platform")], _world.CoverageChecks);
    }

    [Fact]
    public async Task PutAsync_SameSettingsAgain_NothingWrittenNoToken()
    {
        await Service.PutAsync(Settings());
        var writes = _world.Rotations.Writes;

        var saved = await Service.PutAsync(Settings());

        Assert.Equal((false, null, writes), (saved.Created, saved.FeedToken, _world.Rotations.Writes));
        Assert.Single(_world.CoverageChecks);
    }

    [Fact]
    public async Task PutAsync_ChangedSettings_RevisedAndFollowedUp()
    {
        await Service.PutAsync(Settings());
        var version = (await _world.Ledger.GetStateAsync("platform"))!.Version;

        var saved = await Service.PutAsync(Settings() with { Name = "Platform team" });

        Assert.Equal((false, "Platform team"), (saved.Created, _world.Rotations["platform"].Settings.Name));
        Assert.NotEqual(version, (await _world.Ledger.GetStateAsync("platform"))!.Version);
        Assert.Equal(2, _world.CoverageChecks.Count);
    }

    [Fact]
    public async Task PutAsync_Invalid_ValidationFailedNothingStored()
    {
        await Assert.ThrowsAsync<ValidationFailedException>(() => Service.PutAsync(Settings() with { Id = "Not valid!" }));

        Assert.Empty(await Service.ListAsync());
    }

    [Fact]
    public async Task PutAsync_CalendarStateFails_RotationStillCreated()
    {
        _world.Ledger.CommitFailure = new TimeoutException("storage down");

        var saved = await Service.PutAsync(Settings());

        Assert.True(saved.Created);
        Assert.True(_world.Rotations.Contains("platform"));
    }

    [Fact]
    public async Task PutAsync_CoverageQueueDown_RotationStillCreated()
    {
        _world.Queue.Failure = new TimeoutException("queue down");

        var saved = await Service.PutAsync(Settings());

        Assert.NotNull(saved.FeedToken);
    }

    [Fact]
    public async Task PutAsync_AnotherRequestCreatesItFirst_AnswersWithTheirs()
    {
        var theirs = Rotation();
        _world.Rotations.BeforeWrite.Enqueue(() => _world.Rotations.Seed(theirs));

        var saved = await Service.PutAsync(Settings());

        Assert.Equal((false, null), (saved.Created, saved.FeedToken));
        Assert.Equal(theirs.FeedTokenHash, _world.Rotations["platform"].FeedTokenHash);
    }

    [Fact]
    public void SameSettings_EqualListsOfOtherInstances_True() =>
        Assert.True(RotationService.SameSettings(Settings(), Settings()));

    [Fact]
    public void SameSettings_AnotherMember_False() =>
        Assert.False(RotationService.SameSettings(Settings(), Settings(layers: Layer(members: [Ada, Sam]))));

    [Fact]
    public async Task GetAsync_Unknown_NotFound() =>
        await Assert.ThrowsAsync<NotFoundException>(() => Service.GetAsync("payments"));

    [Fact]
    public async Task GetAsync_NotAnId_ValidationFailed() =>
        await Assert.ThrowsAsync<ValidationFailedException>(() => Service.GetAsync("../x"));

    [Fact]
    public async Task DeleteAsync_Existing_RotationAndFeedHistoryGone()
    {
        await Service.PutAsync(Settings());

        await Service.DeleteAsync("platform");

        Assert.False(_world.Rotations.Contains("platform"));
        Assert.Null(await _world.Ledger.GetStateAsync("platform"));
    }

    [Fact]
    public async Task DeleteAsync_Unknown_NotFound() =>
        await Assert.ThrowsAsync<NotFoundException>(() => Service.DeleteAsync("payments"));

    [Fact]
    public async Task GetShiftsAsync_NoEnd_UpToTheHorizon()
    {
        _world.Rotations.Seed(Rotation());

        var shifts = await Service.GetShiftsAsync("platform", Now);

        Assert.Equal((Lin, 9), (shifts[0].Member, shifts.Count));
    }

    [Fact]
    public async Task GetShiftsAsync_EndNotAfterStart_ValidationFailed()
    {
        _world.Rotations.Seed(Rotation());

        await Assert.ThrowsAsync<ValidationFailedException>(() => Service.GetShiftsAsync("platform", Now, Now));
    }

    [Fact]
    public async Task GetShiftsAsync_MoreThanAYear_ValidationFailed()
    {
        _world.Rotations.Seed(Rotation());

        await Assert.ThrowsAsync<ValidationFailedException>(() => Service.GetShiftsAsync("platform", Now, Now + Duration.FromDays(367)));
    }

    [Fact]
    public async Task GetOnCallAsync_Now_LinOnPrimary()
    {
        _world.Rotations.Seed(Rotation());

        var snapshot = await Service.GetOnCallAsync("platform", Now);

        Assert.Equal(("platform", Lin), (snapshot.RotationId, Assert.Single(snapshot.Shifts).Member));
    }

    [Fact]
    public async Task GetOnCallEverywhereAsync_EveryRotation()
    {
        _world.Rotations.Seed(Rotation());
        _world.Rotations.Seed(Core.Rotations.Rotation.Create(Settings() with { Id = "payments" }, "hash", Now));

        var snapshots = await Service.GetOnCallEverywhereAsync(Now);

        Assert.Equal(["payments", "platform"], snapshots.Select(s => s.RotationId));
    }

    [Fact]
    public async Task AddOverrideAsync_Valid_StoredAndFollowedUp()
    {
        _world.Rotations.Seed(Rotation());

        var added = await Service.AddOverrideAsync("platform", Spec("2026-11-11T00:00:00Z", "2026-11-12T00:00:00Z"));

        Assert.Equal(added, Assert.Single(_world.Rotations.OverridesOf("platform")));
        Assert.Equal(Now, added.CreatedAt);
        Assert.Equal([new CoverageCheck("platform")], _world.CoverageChecks);
    }

    [Fact]
    public async Task AddOverrideAsync_RotationChangedMeanwhile_Retried()
    {
        _world.Rotations.Seed(Rotation());
        _world.Rotations.BeforeWrite.Enqueue(() => _world.Rotations.Touch("platform"));

        await Service.AddOverrideAsync("platform", Spec("2026-11-11T00:00:00Z", "2026-11-12T00:00:00Z"));

        Assert.Single(_world.Rotations.OverridesOf("platform"));
    }

    [Fact]
    public async Task AddOverrideAsync_OverlapsAnother_Conflict()
    {
        _world.Rotations.Seed(Rotation());
        await Service.AddOverrideAsync("platform", Spec("2026-11-11T00:00:00Z", "2026-11-12T00:00:00Z"));

        await Assert.ThrowsAsync<ConflictException>(
            () => Service.AddOverrideAsync("platform", Spec("2026-11-11T12:00:00Z", "2026-11-13T00:00:00Z")));
    }

    [Fact]
    public async Task AddOverrideAsync_UnknownLayer_ValidationFailed()
    {
        _world.Rotations.Seed(Rotation());

        var error = await Assert.ThrowsAsync<ValidationFailedException>(
            () => Service.AddOverrideAsync("platform", Spec("2026-11-11T00:00:00Z", "2026-11-12T00:00:00Z") with { Layer = "secondary" }));

        Assert.Equal("layer", error.Field);
    }

    [Fact]
    public async Task AddOverrideAsync_EndBeforeStart_ValidationFailed() =>
        await Assert.ThrowsAsync<ValidationFailedException>(
            () => Service.AddOverrideAsync("platform", Spec("2026-11-12T00:00:00Z", "2026-11-11T00:00:00Z")));

    [Fact]
    public async Task RemoveOverrideAsync_Existing_RemovedAndFollowedUp()
    {
        _world.Rotations.Seed(Rotation(), Cover("primary", "2026-11-11T00:00:00Z", "2026-11-12T00:00:00Z", Sam));

        await Service.RemoveOverrideAsync("platform", "o1");

        Assert.Empty(_world.Rotations.OverridesOf("platform"));
        Assert.Single(_world.CoverageChecks);
    }

    [Fact]
    public async Task RemoveOverrideAsync_Unknown_NotFound()
    {
        _world.Rotations.Seed(Rotation());

        await Assert.ThrowsAsync<NotFoundException>(() => Service.RemoveOverrideAsync("platform", "o1"));
    }

    [Fact]
    public async Task RotateFeedTokenAsync_NewTokenWorksOldOneStops()
    {
        var old = (await Service.PutAsync(Settings())).FeedToken;

        var token = await Service.RotateFeedTokenAsync("platform");

        var hash = _world.Rotations["platform"].FeedTokenHash;
        Assert.Equal((true, false), (FeedToken.Matches(token, hash), FeedToken.Matches(old, hash)));
    }

    private static OverrideSpec Spec(string start, string end) => new("primary", Utc(start), Utc(end), Sam, "dentist");
}
