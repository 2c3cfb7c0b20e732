using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using NodaTime;
using OnCall.Core.Errors;
using OnCall.Core.Handoffs;
using OnCall.Core.Incidents;
using OnCall.Core.Rotations;
using OnCall.Core.Tests.Fakes;
using static OnCall.Core.Tests.Rotations;

namespace OnCall.Core.Tests.Handoffs;

/// <summary>
/// The service with handoffs, rotations, incidents and chat in memory. Rotations.Rotation(): primary hands over from
/// Ada to Lin on 2026-11-09 at 15:00Z, grace 30 minutes; supervisor Dana; reminders an hour ahead.
/// </summary>
public sealed class HandoffServiceTests
{
    private static readonly Instant Due = Utc("2026-11-09T15:00:00Z");
    private static readonly string Id = Handoff.IdFor("platform", "primary", Due);

    private readonly InMemoryHandoffs _handoffs = new();
    private readonly InMemoryRotations _rotations = new();
    private readonly InMemoryIncidents _incidents = new();
    private readonly ScriptedNotifier _notifier = new();
    private readonly ScriptedEvents _events = new();

    public HandoffServiceTests() => _rotations.Seed(Rotation());

    private HandoffService Service => new(
        _handoffs,
        _rotations,
        _notifier,
        _events,
        new NoLinks(),
        new CarriedOverIncidents(_incidents, NullLogger<CarriedOverIncidents>.Instance),
        new HandoffSettings(Duration.FromHours(1)), PlainMeterFactory.Metrics());

    [Fact]
    public async Task PlanAsync_BoundaryWithinADay_RecordedPendingOnce()
    {
        Assert.Equal(1, await Service.PlanAsync(Due - Duration.FromHours(2)));
        Assert.Equal(0, await Service.PlanAsync(Due - Duration.FromHours(1)));

        var handoff = await Service.GetAsync(Id);
        Assert.Equal((HandoffStatus.Pending, Ada, Lin, Due), (handoff.Status, handoff.Outgoing, handoff.Incoming, handoff.Due));
    }

    [Fact]
    public async Task PlanAsync_OutgoingCommandsAnOpenIncident_CarriedOver()
    {
        var incident = OpenIncident(Ada);
        _incidents.Seed(incident);

        await Service.PlanAsync(Due - Duration.FromHours(2));

        Assert.Equal([CarriedOverIncidents.Describe(incident)], (await Service.GetAsync(Id)).CarriedOver);
    }

    [Fact]
    public async Task PlanAsync_SomeoneElseCommands_NothingCarriedOver()
    {
        _incidents.Seed(OpenIncident(Sam));

        await Service.PlanAsync(Due - Duration.FromHours(2));

        Assert.Empty((await Service.GetAsync(Id)).CarriedOver);
    }

    [Fact]
    public async Task PlanAsync_IncidentsUnreadable_PlannedKeepingWhatItHad()
    {
        var incident = OpenIncident(Ada);
        _incidents.Seed(incident);
        await Service.PlanAsync(Due - Duration.FromHours(2));
        _incidents.ListFailure = new TimeoutException("storage down");

        await Service.PlanAsync(Due - Duration.FromMinutes(30));

        Assert.Equal([CarriedOverIncidents.Describe(incident)], (await Service.GetAsync(Id)).CarriedOver);
    }

    [Fact]
    public async Task PlanAsync_IncidentClosedBeforeTheHandoff_NoLongerCarriedOver()
    {
        var incident = OpenIncident(Ada);
        _incidents.Seed(incident);
        await Service.PlanAsync(Due - Duration.FromHours(2));
        _incidents.ChangeBehindTheScenes(incident.Id, i => i with { Status = IncidentStatus.Resolved });

        await Service.PlanAsync(Due - Duration.FromMinutes(30));

        Assert.Empty((await Service.GetAsync(Id)).CarriedOver);
    }

    [Fact]
    public async Task PlanAsync_OverrideChangesWhoTakesOver_PendingHandoffTakesThemWithoutTheOldReminder()
    {
        await Service.PlanAsync(Due - Duration.FromHours(2));
        await Service.FlagMissedAsync(Due - Duration.FromMinutes(30));
        _rotations.Seed(Rotation(), Cover("primary", "2026-11-09T15:00:00Z", "2026-11-16T15:00:00Z", Sam));

        await Service.PlanAsync(Due - Duration.FromMinutes(20));

        var handoff = await Service.GetAsync(Id);
        Assert.Equal(Sam, handoff.Incoming);
        Assert.Null(handoff.Notice(HandoffNoticeKind.Reminder));
    }

    [Fact]
    public async Task PlanAsync_BoundaryGone_PendingHandoffRemoved()
    {
        await Service.PlanAsync(Due - Duration.FromHours(2));
        _rotations.Seed(Rotation(), Cover("primary", "2026-11-09T15:00:00Z", "2026-11-16T15:00:00Z", Ada));

        await Service.PlanAsync(Due - Duration.FromHours(1));

        await Assert.ThrowsAsync<NotFoundException>(() => Service.GetAsync(Id));
    }

    [Fact]
    public async Task PlanHandoffsJob_PlansAroundTheClock()
    {
        var job = new PlanHandoffsJob(Service, new FakeTimeProvider((Due - Duration.FromHours(3)).ToDateTimeOffset()));

        await job.RunAsync();

        Assert.Equal(HandoffStatus.Pending, (await Service.GetAsync(Id)).Status);
    }

    [Fact]
    public async Task FlagMissedAsync_WithinTheLead_RemindsTheIncomingOnce()
    {
        await Service.PlanAsync(Due - Duration.FromHours(2));

        await Service.FlagMissedAsync(Due - Duration.FromMinutes(50));
        await Service.FlagMissedAsync(Due - Duration.FromMinutes(40));

        var reminder = Assert.Single(_notifier.Sent);
        Assert.Equal("You go on call: Platform / primary", reminder.Title);
        Assert.NotNull((await Service.GetAsync(Id)).Notice(HandoffNoticeKind.Reminder)?.SentAt);
    }

    [Fact]
    public async Task FlagMissedAsync_PastTheGrace_MissedAndTheSupervisorToldOnce()
    {
        await Service.PlanAsync(Due - Duration.FromHours(2));

        await Service.FlagMissedAsync(Due + Duration.FromMinutes(31));
        await Service.FlagMissedAsync(Due + Duration.FromMinutes(35));

        Assert.Equal("Missed handoff: Platform / primary", Assert.Single(_notifier.Sent).Title);
        var handoff = await Service.GetAsync(Id);
        Assert.Equal((HandoffStatus.Missed, Due + Duration.FromMinutes(31)), (handoff.Status, handoff.MissedAt));
    }

    [Fact]
    public async Task FlagMissedAsync_WithinTheGrace_StillPending()
    {
        await Service.PlanAsync(Due - Duration.FromHours(2));

        await Service.FlagMissedAsync(Due + Duration.FromMinutes(29));

        Assert.Equal(HandoffStatus.Pending, (await Service.GetAsync(Id)).Status);
    }

    [Fact]
    public async Task FlagMissedAsync_ThreeGracesLate_EscalatedOnce()
    {
        await Service.PlanAsync(Due - Duration.FromHours(2));
        await Service.FlagMissedAsync(Due + Duration.FromMinutes(31));

        await Service.FlagMissedAsync(Due + Duration.FromMinutes(91));
        await Service.FlagMissedAsync(Due + Duration.FromMinutes(120));

        Assert.Equal(
            ["Missed handoff: Platform / primary", "Still unacknowledged: Platform / primary"], _notifier.Sent.Select(n => n.Title));
    }

    [Fact]
    public async Task FlagMissedAsync_Acknowledged_NothingSent()
    {
        await Service.PlanAsync(Due - Duration.FromHours(2));
        await Service.AcknowledgeAsync(Id, Lin.Email, null, Due - Duration.FromMinutes(5));

        await Service.FlagMissedAsync(Due + Duration.FromHours(2));

        Assert.Empty(_notifier.Sent);
    }

    [Fact]
    public async Task FlagMissedAsync_BoundaryGoneBeforeThePlannerRan_NotFlagged()
    {
        await Service.PlanAsync(Due - Duration.FromHours(2));
        _rotations.Seed(Rotation(), Cover("primary", "2026-11-09T15:00:00Z", "2026-11-16T15:00:00Z", Ada));

        await Service.FlagMissedAsync(Due + Duration.FromMinutes(31));

        Assert.Equal(HandoffStatus.Pending, (await Service.GetAsync(Id)).Status);
        Assert.Empty(_notifier.Sent);
    }

    [Fact]
    public async Task FlagMissedAsync_RotationDeleted_NotFlagged()
    {
        await Service.PlanAsync(Due - Duration.FromHours(2));
        await _rotations.DeleteAsync("platform");

        await Service.FlagMissedAsync(Due + Duration.FromMinutes(31));

        Assert.Empty(_notifier.Sent);
    }

    [Fact]
    public async Task FlagMissedHandoffsJob_FlagsAtTheClock()
    {
        await Service.PlanAsync(Due - Duration.FromHours(2));

        await new FlagMissedHandoffsJob(Service, new FakeTimeProvider((Due + Duration.FromHours(1)).ToDateTimeOffset())).RunAsync();

        Assert.Equal(HandoffStatus.Missed, (await Service.GetAsync(Id)).Status);
    }

    [Fact]
    public async Task AcknowledgeAsync_ByTheIncoming_AcknowledgedWithNotes()
    {
        await Service.PlanAsync(Due - Duration.FromHours(2));

        var handoff = await Service.AcknowledgeAsync(Id, "LIN@example.com", "Got it.", Due - Duration.FromMinutes(10));

        Assert.Equal(
            (HandoffStatus.Acknowledged, Due - Duration.FromMinutes(10), "LIN@example.com", "Got it."),
            (handoff.Status, handoff.AcknowledgedAt, handoff.AcknowledgedBy, handoff.Notes));
        Assert.Equal(HandoffStatus.Acknowledged, (await Service.GetAsync(Id)).Status);
    }

    [Fact]
    public async Task AcknowledgeAsync_ByTheSupervisor_Acknowledged()
    {
        await Service.PlanAsync(Due - Duration.FromHours(2));

        var handoff = await Service.AcknowledgeAsync(Id, "dana@example.com", null, Due);

        Assert.Equal(HandoffStatus.Acknowledged, handoff.Status);
    }

    [Fact]
    public async Task AcknowledgeAsync_BySomeoneElse_ValidationFailedNamingTheIncoming()
    {
        await Service.PlanAsync(Due - Duration.FromHours(2));

        var error = await Assert.ThrowsAsync<ValidationFailedException>(() => Service.AcknowledgeAsync(Id, Sam.Email, null, Due));

        Assert.Equal("by", error.Field);
        Assert.Contains(Lin.Email, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AcknowledgeAsync_MoreThanAnHourEarly_Conflict()
    {
        await Service.PlanAsync(Due - Duration.FromHours(2));

        await Assert.ThrowsAsync<ConflictException>(() => Service.AcknowledgeAsync(Id, Lin.Email, null, Due - Duration.FromMinutes(61)));
    }

    [Fact]
    public async Task AcknowledgeAsync_Twice_TheSecondChangesNothing()
    {
        await Service.PlanAsync(Due - Duration.FromHours(2));
        await Service.AcknowledgeAsync(Id, Lin.Email, "first", Due - Duration.FromMinutes(10));

        var again = await Service.AcknowledgeAsync(Id, Lin.Email, "second", Due);

        Assert.Equal((Due - Duration.FromMinutes(10), "first"), (again.AcknowledgedAt, again.Notes));
    }

    [Fact]
    public async Task AcknowledgeAsync_AfterMissed_LateAndTheSupervisorToldItIsResolvedOnce()
    {
        await Service.PlanAsync(Due - Duration.FromHours(2));
        await Service.FlagMissedAsync(Due + Duration.FromMinutes(31));

        var handoff = await Service.AcknowledgeAsync(Id, Lin.Email, null, Due + Duration.FromMinutes(45));
        await Service.FlagMissedAsync(Due + Duration.FromMinutes(50));

        Assert.True(handoff.AcknowledgedLate);
        Assert.Equal(
            ["Missed handoff: Platform / primary", "Handoff acknowledged late: Platform / primary"], _notifier.Sent.Select(n => n.Title));
    }

    [Fact]
    public async Task AcknowledgeAsync_ResolvedNoticeFailed_RetriedByTheNextScan()
    {
        await Service.PlanAsync(Due - Duration.FromHours(2));
        await Service.FlagMissedAsync(Due + Duration.FromMinutes(31));
        _notifier.Outcome = Notifications.DeliveryStatus.Failed;
        await Service.AcknowledgeAsync(Id, Lin.Email, null, Due + Duration.FromMinutes(45));
        _notifier.Outcome = Notifications.DeliveryStatus.Sent;

        await Service.FlagMissedAsync(Due + Duration.FromMinutes(50));

        Assert.Equal(2, _notifier.Sent.Count(n => n.Title.StartsWith("Handoff acknowledged late", StringComparison.Ordinal)));
        Assert.NotNull((await Service.GetAsync(Id)).Notice(HandoffNoticeKind.Resolved)?.SentAt);
    }

    [Theory]
    [InlineData("not-a-handoff")]
    [InlineData("202611091500-ZZZZZZZZZZZZZZZZZZZZ")]
    public async Task AcknowledgeAsync_NotAHandoffId_ValidationFailed(string id) =>
        await Assert.ThrowsAsync<ValidationFailedException>(() => Service.AcknowledgeAsync(id, Lin.Email, null, Due));

    [Fact]
    public async Task AcknowledgeAsync_NotAnEmail_ValidationFailed()
    {
        await Service.PlanAsync(Due - Duration.FromHours(2));

        await Assert.ThrowsAsync<ValidationFailedException>(() => Service.AcknowledgeAsync(Id, "lin", null, Due));
    }

    [Fact]
    public async Task AcknowledgeAsync_NeverPlanned_NotFound() =>
        await Assert.ThrowsAsync<NotFoundException>(() => Service.AcknowledgeAsync(Id, Lin.Email, null, Due));

    [Fact]
    public async Task SetNotesAsync_Pending_NotesStored()
    {
        await Service.PlanAsync(Due - Duration.FromHours(2));

        await Service.SetNotesAsync(Id, "Watch the disk on db-3.");

        Assert.Equal("Watch the disk on db-3.", (await Service.GetAsync(Id)).Notes);
    }

    [Fact]
    public async Task SetNotesAsync_TooLong_ValidationFailed() =>
        await Assert.ThrowsAsync<ValidationFailedException>(() => Service.SetNotesAsync(Id, new string('x', HandoffService.MaxNotes + 1)));

    [Fact]
    public async Task ListAsync_ByStatus_OnlyThatStatusInDueOrder()
    {
        await Service.PlanAsync(Due - Duration.FromHours(2));
        await Service.FlagMissedAsync(Due + Duration.FromMinutes(31));

        var missed = await Service.ListAsync(Due - Duration.FromDays(1), Due + Duration.FromDays(1), HandoffStatus.Missed, "platform");
        var pending = await Service.ListAsync(Due - Duration.FromDays(1), Due + Duration.FromDays(1), HandoffStatus.Pending, null);

        Assert.Equal([Id], missed.Select(h => h.Id));
        Assert.Empty(pending);
    }

    [Fact]
    public async Task ListAsync_ToNotAfterFrom_ValidationFailed() =>
        await Assert.ThrowsAsync<ValidationFailedException>(() => Service.ListAsync(Due, Due, null, null));

    [Fact]
    public async Task ListAsync_MoreThan31Days_ValidationFailed() =>
        await Assert.ThrowsAsync<ValidationFailedException>(() => Service.ListAsync(Due, Due + Duration.FromDays(32), null, null));

    [Fact]
    public async Task ListAsync_NotARotationId_ValidationFailed() =>
        await Assert.ThrowsAsync<ValidationFailedException>(
            () => Service.ListAsync(Due, Due + Duration.FromDays(1), null, "Not a rotation!"));

    [Fact]
    public async Task HoldoversAsync_ShiftBeganWithAMissedHandoff_ThatHandoff()
    {
        await Service.PlanAsync(Due - Duration.FromHours(2));
        await Service.FlagMissedAsync(Due + Duration.FromMinutes(31));
        var current = ShiftExpander.OnCallAt(Rotation(), [], Due + Duration.FromHours(1));

        var holdovers = await Service.HoldoversAsync("platform", current);

        Assert.Equal(Id, Assert.Single(holdovers).Value.Id);
    }

    [Fact]
    public async Task HoldoversAsync_HandoffAcknowledged_None()
    {
        await Service.PlanAsync(Due - Duration.FromHours(2));
        await Service.AcknowledgeAsync(Id, Lin.Email, null, Due);
        var current = ShiftExpander.OnCallAt(Rotation(), [], Due + Duration.FromHours(1));

        Assert.Empty(await Service.HoldoversAsync("platform", current));
    }

    private static Incident OpenIncident(Member commander) =>
        new(IncidentIds.New("alertmanager", "disk-full", Due - Duration.FromHours(5)), "alertmanager", "disk-full", "Disk full",
            Severity.Major,
            IncidentStatus.Investigating, "platform", null, null, [], commander, Due - Duration.FromHours(5));
}
