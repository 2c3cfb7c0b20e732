using Microsoft.Extensions.Logging.Abstractions;
using NodaTime;
using OnCall.Core.Errors;
using OnCall.Core.Notifications;
using OnCall.Core.Ports;
using OnCall.Core.Rotations;
using OnCall.Core.Swaps;
using OnCall.Core.Tests.Coverage;
using OnCall.Core.Tests.Fakes;
using OnCall.Core.TimeOff;
using static OnCall.Core.Tests.Rotations;

namespace OnCall.Core.Tests.Swaps;

/// <summary>
/// Swaps with rotations, requests, ledger and chat in memory. The clock at 2026-11-10 12:00Z; Rotations.Rotation()'s
/// weekly primary layer has Ada on call again from 2026-11-16 15:00Z to 2026-11-23 15:00Z: the shift she offers.
/// </summary>
public sealed class SwapServiceTests
{
    private static readonly Instant Now = Utc("2026-11-10T12:00:00Z");
    private static readonly Instant ShiftStart = Utc("2026-11-16T15:00:00Z");
    private static readonly Instant ShiftEnd = Utc("2026-11-23T15:00:00Z");
    private const string UnknownId = "platform.0123456789abcdef0123456789abcdef";

    private readonly RotationWorld _world = new(Now);
    private readonly InMemorySwaps _swaps;
    private readonly ScriptedNotifier _notifier = new();

    public SwapServiceTests()
    {
        _world.Rotations.Seed(Rotation());
        _swaps = new InMemorySwaps(_world.Rotations);
    }

    [Fact]
    public async Task CreateAsync_OwnFutureShift_OpenAndOfferedToTheLayersOthers()
    {
        var swap = await Service().CreateAsync("platform", Spec());

        Assert.Equal((SwapStatus.Open, Ada, Now), (swap.Status, swap.Requester, swap.CreatedAt));
        Assert.Equal([Lin], swap.OfferedTo);
        Assert.Equal(swap.Id, SwapService.RequireId(swap.Id));
        Assert.Equal(swap, _swaps[swap.Id]);
    }

    [Fact]
    public async Task CreateAsync_OwnFutureShift_EveryoneOfferedToIsAskedWithTheirLink()
    {
        ThreeMembers();

        var swap = await Service(links: new PlainSwapLinks()).CreateAsync("platform", Spec());

        Assert.Equal(["Lin, Ada asks", "Sam, Ada asks"], _notifier.Sent.Select(n => n.Lines[0][..13]));
        Assert.Equal(new Uri($"https://oncall.example.com/swaps/{swap.Id}/take?as=sam@example.com"), _notifier.Sent[1].Link?.Url);
    }

    [Fact]
    public async Task CreateAsync_NoLinks_SaysHowToAcceptThroughTheApi()
    {
        var swap = await Service().CreateAsync("platform", Spec());

        Assert.Contains($"POST /api/swaps/{swap.Id}/accept", Assert.Single(_notifier.Sent).Lines[^1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateAsync_NamedPeople_OfferedOnlyToThemOnce()
    {
        ThreeMembers();

        var swap = await Service().CreateAsync("platform", Spec() with { OfferedTo = ["SAM@example.com", "sam@example.com"] });

        Assert.Equal([Sam], swap.OfferedTo);
    }

    [Fact]
    public async Task CreateAsync_OfferedToTheRequester_ValidationFailed()
    {
        var error = await Assert.ThrowsAsync<ValidationFailedException>(
            () => Service().CreateAsync("platform", Spec() with { OfferedTo = [Ada.Email] }));

        Assert.Equal("offeredTo[0]", error.Field);
    }

    [Fact]
    public async Task CreateAsync_OfferedToAStranger_ValidationFailed()
    {
        var error = await Assert.ThrowsAsync<ValidationFailedException>(
            () => Service().CreateAsync("platform", Spec() with { OfferedTo = ["eve@example.com"] }));

        Assert.Equal("offeredTo[0]", error.Field);
    }

    [Fact]
    public async Task CreateAsync_OfferedToNobody_ValidationFailed() =>
        await Assert.ThrowsAsync<ValidationFailedException>(() => Service().CreateAsync("platform", Spec() with { OfferedTo = [] }));

    [Fact]
    public async Task CreateAsync_LayerOfOne_ValidationFailedAskingWhoToOffer()
    {
        _world.Rotations.Seed(Rotation(layers: Layer(members: [Ada])));
        var spec = Spec() with { Start = Utc("2026-11-11T15:00:00Z"), End = Utc("2026-11-12T15:00:00Z") };

        var error = await Assert.ThrowsAsync<ValidationFailedException>(() => Service().CreateAsync("platform", spec));

        Assert.Equal("offeredTo", error.Field);
    }

    [Fact]
    public async Task CreateAsync_StartPassed_ValidationFailed()
    {
        var error = await Assert.ThrowsAsync<ValidationFailedException>(
            () => Service().CreateAsync("platform", Spec() with { Start = Now - Duration.FromHours(1) }));

        Assert.Equal("start", error.Field);
    }

    [Fact]
    public async Task CreateAsync_NotAWholeMinute_ValidationFailed() =>
        await Assert.ThrowsAsync<ValidationFailedException>(
            () => Service().CreateAsync("platform", Spec() with { End = ShiftEnd - Duration.FromSeconds(1) }));

    [Fact]
    public async Task CreateAsync_SomeoneElsesShift_ValidationFailed()
    {
        var error = await Assert.ThrowsAsync<ValidationFailedException>(
            () => Service().CreateAsync("platform", Spec() with { Requester = Lin.Email, OfferedTo = null }));

        Assert.Contains("lin@example.com is not on call", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateAsync_BeyondTheShift_ValidationFailed() =>
        await Assert.ThrowsAsync<ValidationFailedException>(
            () => Service().CreateAsync("platform", Spec() with { End = ShiftEnd + Duration.FromHours(1) }));

    [Fact]
    public async Task CreateAsync_UnknownLayer_ValidationFailed()
    {
        var error = await Assert.ThrowsAsync<ValidationFailedException>(
            () => Service().CreateAsync("platform", Spec() with { Layer = "secondary" }));

        Assert.Equal("layer", error.Field);
    }

    [Fact]
    public async Task CreateAsync_RequesterNotAMember_ValidationFailed()
    {
        var error = await Assert.ThrowsAsync<ValidationFailedException>(
            () => Service().CreateAsync("platform", Spec() with { Requester = "eve@example.com" }));

        Assert.Equal("requester", error.Field);
    }

    [Fact]
    public async Task CreateAsync_OverlapsALiveRequest_Conflict()
    {
        await Service().CreateAsync("platform", Spec());

        await Assert.ThrowsAsync<ConflictException>(
            () => Service().CreateAsync("platform", Spec() with { Start = ShiftStart + Duration.FromDays(1) }));
    }

    [Fact]
    public async Task CreateAsync_OverlapsAnOverride_Conflict()
    {
        _world.Rotations.Seed(Rotation(), Cover("primary", "2026-11-17T00:00:00Z", "2026-11-18T00:00:00Z", Ada));

        var error = await Assert.ThrowsAsync<ConflictException>(() => Service().CreateAsync("platform", Spec()));

        Assert.Contains("override 'o1'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateAsync_RotationChangedMeanwhile_Retried()
    {
        _swaps.BeforeWrite.Enqueue(() => _world.Rotations.Touch("platform"));

        var swap = await Service().CreateAsync("platform", Spec());

        Assert.Equal(SwapStatus.Open, _swaps[swap.Id].Status);
    }

    [Fact]
    public async Task CreateAsync_ChatThrows_RequestStillMade()
    {
        var chat = new ThrowingNotifier();

        var swap = await Service(notifier: chat).CreateAsync("platform", Spec());

        Assert.Equal((SwapStatus.Open, 1), (_swaps[swap.Id].Status, chat.Calls));
    }

    [Fact]
    public async Task CreateAsync_ChatChannelFails_RequestStillMade()
    {
        _notifier.Outcome = DeliveryStatus.Failed;

        var swap = await Service().CreateAsync("platform", Spec());

        Assert.Equal(SwapStatus.Open, _swaps[swap.Id].Status);
    }

    [Fact]
    public async Task AcceptAsync_NoApprovalNeeded_AcceptedWithItsOverride()
    {
        var swap = await Service().CreateAsync("platform", Spec());

        var accepted = await Service().AcceptAsync(swap.Id, "LIN@example.com");

        var addition = Assert.Single(_world.Rotations.OverridesOf("platform"));
        Assert.Equal((SwapStatus.Accepted, addition.Id, Lin), (accepted.Status, accepted.OverrideId, accepted.TakenBy));
        Assert.Equal((ShiftStart, ShiftEnd, Lin), (addition.Start, addition.End, addition.Member));
    }

    [Fact]
    public async Task AcceptAsync_NoApprovalNeeded_CalendarFollowsAndTheRequesterIsTold()
    {
        var swap = await Service().CreateAsync("platform", Spec());

        await Service().AcceptAsync(swap.Id, Lin.Email);

        Assert.Equal([new CoverageCheck("platform")], _world.CoverageChecks);
        Assert.Equal("Shift taken: Platform / primary", _notifier.Sent[^1].Title);
    }

    [Fact]
    public async Task AcceptAsync_SecondTaker_ConflictNamingTheFirst()
    {
        ThreeMembers();
        var swap = await Service().CreateAsync("platform", Spec());
        await Service().AcceptAsync(swap.Id, Lin.Email);

        var error = await Assert.ThrowsAsync<ConflictException>(() => Service().AcceptAsync(swap.Id, Sam.Email));

        Assert.Equal("already taken by Lin.", error.Message);
    }

    [Fact]
    public async Task AcceptAsync_NotOfferedToThem_ValidationFailed()
    {
        var swap = await Service().CreateAsync("platform", Spec());

        await Assert.ThrowsAsync<ValidationFailedException>(() => Service().AcceptAsync(swap.Id, Sam.Email));
    }

    [Fact]
    public async Task AcceptAsync_ShiftStarted_ConflictExpired()
    {
        var swap = await Service().CreateAsync("platform", Spec());
        _world.Clock.SetUtcNow(ShiftStart.ToDateTimeOffset());

        var error = await Assert.ThrowsAsync<ConflictException>(() => Service().AcceptAsync(swap.Id, Lin.Email));

        Assert.StartsWith("it expired", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AcceptAsync_OverrideLandedSince_ConflictNoSecondOverride()
    {
        var swap = await Service().CreateAsync("platform", Spec());
        var cover = new OverrideSpec("primary", ShiftStart, ShiftStart + Duration.FromHours(2), Sam, null);
        await _world.Service.AddOverrideAsync("platform", cover);

        await Assert.ThrowsAsync<ConflictException>(() => Service().AcceptAsync(swap.Id, Lin.Email));

        Assert.Single(_world.Rotations.OverridesOf("platform"));
    }

    [Fact]
    public async Task AcceptAsync_RotationChangedSoTheShiftIsNotTheirs_Conflict()
    {
        var swap = await Service().CreateAsync("platform", Spec());
        await _world.Service.PutAsync(Settings(layers: Layer(members: [Lin, Ada])));

        var error = await Assert.ThrowsAsync<ConflictException>(() => Service().AcceptAsync(swap.Id, Lin.Email));

        Assert.StartsWith("the rotation changed since the shift was offered", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AcceptAsync_RotationWrittenMeanwhile_Retried()
    {
        var swap = await Service().CreateAsync("platform", Spec());
        _swaps.BeforeWrite.Enqueue(() => _world.Rotations.Touch("platform"));

        var accepted = await Service().AcceptAsync(swap.Id, Lin.Email);

        Assert.Equal(SwapStatus.Accepted, accepted.Status);
    }

    [Fact]
    public async Task AcceptAsync_ApprovalNeeded_PendingAndTheSupervisorAsked()
    {
        var swap = await Service(approval: true).CreateAsync("platform", Spec());

        var taken = await Service(approval: true).AcceptAsync(swap.Id, Lin.Email);

        Assert.Equal((SwapStatus.PendingApproval, Lin), (taken.Status, taken.TakenBy));
        Assert.Empty(_world.Rotations.OverridesOf("platform"));
        Assert.Equal("Swap to approve: Platform / primary", _notifier.Sent[^1].Title);
    }

    [Fact]
    public async Task AcceptAsync_NotAnEmail_ValidationFailed() =>
        await Assert.ThrowsAsync<ValidationFailedException>(() => Service().AcceptAsync(UnknownId, "lin"));

    [Theory]
    [InlineData("platform")]
    [InlineData("platform.0123")]
    [InlineData("Platform.0123456789abcdef0123456789abcdef")]
    public async Task AcceptAsync_NotASwapId_ValidationFailed(string id) =>
        await Assert.ThrowsAsync<ValidationFailedException>(() => Service().AcceptAsync(id, Lin.Email));

    [Fact]
    public async Task AcceptAsync_Unknown_NotFound() =>
        await Assert.ThrowsAsync<NotFoundException>(() => Service().AcceptAsync(UnknownId, Lin.Email));

    [Fact]
    public async Task ApproveAsync_BySupervisor_AcceptedWithItsOverride()
    {
        var swap = await TakenAsync();

        var approved = await Service(approval: true).ApproveAsync(swap.Id, "DANA@example.com");

        Assert.Equal((SwapStatus.Accepted, "DANA@example.com"), (approved.Status, approved.DecidedBy));
        Assert.Equal(approved.OverrideId, Assert.Single(_world.Rotations.OverridesOf("platform")).Id);
        Assert.Equal("Swap approved: Platform / primary", _notifier.Sent[^1].Title);
    }

    [Fact]
    public async Task ApproveAsync_NotTheSupervisor_ValidationFailed()
    {
        var swap = await TakenAsync();

        await Assert.ThrowsAsync<ValidationFailedException>(() => Service(approval: true).ApproveAsync(swap.Id, Ada.Email));
    }

    [Fact]
    public async Task ApproveAsync_NotTakenYet_Conflict()
    {
        var swap = await Service(approval: true).CreateAsync("platform", Spec());

        var error = await Assert.ThrowsAsync<ConflictException>(() => Service(approval: true).ApproveAsync(swap.Id, "dana@example.com"));

        Assert.EndsWith("has not been taken yet.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ApproveAsync_Twice_ConflictAlreadyTaken()
    {
        var swap = await TakenAsync();
        await Service(approval: true).ApproveAsync(swap.Id, "dana@example.com");

        await Assert.ThrowsAsync<ConflictException>(() => Service(approval: true).ApproveAsync(swap.Id, "dana@example.com"));
    }

    [Fact]
    public async Task DeclineAsync_BySupervisor_DeclinedWithoutOverride()
    {
        var swap = await TakenAsync();

        var declined = await Service(approval: true).DeclineAsync(swap.Id, "dana@example.com");

        Assert.Equal(SwapStatus.Declined, declined.Status);
        Assert.Empty(_world.Rotations.OverridesOf("platform"));
        Assert.Equal("Swap declined: Platform / primary", _notifier.Sent[^1].Title);
    }

    [Fact]
    public async Task DeclineAsync_ThenAccepted_ConflictSayingWhoDeclined()
    {
        var swap = await TakenAsync();
        await Service(approval: true).DeclineAsync(swap.Id, "dana@example.com");

        var error = await Assert.ThrowsAsync<ConflictException>(() => Service(approval: true).AcceptAsync(swap.Id, Lin.Email));

        Assert.Equal("the supervisor (dana@example.com) declined it.", error.Message);
    }

    [Fact]
    public async Task CancelAsync_ByTheRequester_Cancelled()
    {
        var swap = await Service().CreateAsync("platform", Spec());

        var cancelled = await Service().CancelAsync(swap.Id, Ada.Email, asAdmin: false);

        Assert.Equal((SwapStatus.Cancelled, Ada.Email, Now), (cancelled.Status, cancelled.DecidedBy, cancelled.DecidedAt));
        Assert.Equal("Swap request withdrawn: Platform / primary", _notifier.Sent[^1].Title);
    }

    [Fact]
    public async Task CancelAsync_PendingApproval_Cancelled()
    {
        var swap = await TakenAsync();

        Assert.Equal(SwapStatus.Cancelled, (await Service(approval: true).CancelAsync(swap.Id, Ada.Email, asAdmin: false)).Status);
    }

    [Fact]
    public async Task CancelAsync_BySomeoneElse_ValidationFailed()
    {
        var swap = await Service().CreateAsync("platform", Spec());

        await Assert.ThrowsAsync<ValidationFailedException>(() => Service().CancelAsync(swap.Id, Lin.Email, asAdmin: false));
    }

    [Fact]
    public async Task CancelAsync_ByAnAdmin_Cancelled()
    {
        var swap = await Service().CreateAsync("platform", Spec());

        Assert.Equal(SwapStatus.Cancelled, (await Service().CancelAsync(swap.Id, "ops@example.com", asAdmin: true)).Status);
    }

    [Fact]
    public async Task CancelAsync_Accepted_Conflict()
    {
        var swap = await Service().CreateAsync("platform", Spec());
        await Service().AcceptAsync(swap.Id, Lin.Email);

        await Assert.ThrowsAsync<ConflictException>(() => Service().CancelAsync(swap.Id, Ada.Email, asAdmin: false));
    }

    [Fact]
    public async Task CancelAsync_ThenAccepted_ConflictSayingWhoCancelled()
    {
        var swap = await Service().CreateAsync("platform", Spec());
        await Service().CancelAsync(swap.Id, Ada.Email, asAdmin: false);

        var error = await Assert.ThrowsAsync<ConflictException>(() => Service().AcceptAsync(swap.Id, Lin.Email));

        Assert.Equal("ada@example.com cancelled it.", error.Message);
    }

    [Fact]
    public async Task GetAsync_OpenPastItsStart_ReadsExpired()
    {
        var swap = await Service().CreateAsync("platform", Spec());
        _world.Clock.SetUtcNow(ShiftStart.ToDateTimeOffset());

        Assert.Equal(SwapStatus.Expired, (await Service().GetAsync(swap.Id)).Status);
    }

    [Fact]
    public async Task ListAsync_ByStatus_AsOfNowInStartOrder()
    {
        var later = await Service().CreateAsync("platform", Spec() with { Start = ShiftStart + Duration.FromDays(3) });
        var earlier = await Service().CreateAsync("platform", Spec() with { End = ShiftStart + Duration.FromDays(1) });
        await Service().CancelAsync(earlier.Id, Ada.Email, asAdmin: false);

        Assert.Equal([later.Id], (await Service().ListAsync(SwapStatus.Open, "platform")).Select(s => s.Id));
        Assert.Equal([earlier.Id, later.Id], (await Service().ListAsync()).Select(s => s.Id));
    }

    [Fact]
    public async Task ListAsync_NotARotationId_ValidationFailed() =>
        await Assert.ThrowsAsync<ValidationFailedException>(() => Service().ListAsync(rotationId: "Not a rotation!"));

    [Theory]
    [InlineData(SwapStatus.PendingApproval, "pending-approval")]
    [InlineData(SwapStatus.Expired, "expired")]
    public void Wire_Status_WireName(SwapStatus status, string expected) => Assert.Equal(expected, SwapService.Wire(status));

    [Fact]
    public void RotationOfAndLocalIdOf_SwapId_ItsTwoParts()
    {
        const string id = "platform-eu.0123456789abcdef0123456789abcdef";

        Assert.Equal(("platform-eu", "0123456789abcdef0123456789abcdef"), (SwapService.RotationOf(id), SwapService.LocalIdOf(id)));
    }

    private async Task<SwapRequest> TakenAsync(CancellationToken cancellationToken = default)
    {
        var swap = await Service(approval: true).CreateAsync("platform", Spec(), cancellationToken);
        return await Service(approval: true).AcceptAsync(swap.Id, Lin.Email, cancellationToken);
    }

    private void ThreeMembers() => _world.Rotations.Seed(Rotation(layers: Layer(members: [Lin, Sam, Ada])));

    private SwapService Service(bool approval = false, INotifier? notifier = null, ISwapLinks? links = null) => new(
        _world.Service,
        _swaps,
        notifier ?? _notifier,
        links ?? new NoSwapLinks(),
        new SwapSettings(approval),
        PlainMeterFactory.Metrics(),
        _world.Clock,
        NullLogger<SwapService>.Instance);

    private static SwapSpec Spec() => new("primary", ShiftStart, ShiftEnd, Ada.Email, null);
}
