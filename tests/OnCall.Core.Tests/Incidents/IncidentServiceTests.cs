using Microsoft.Extensions.Time.Testing;
using NodaTime;
using OnCall.Core.Errors;
using OnCall.Core.Incidents;
using OnCall.Core.Rotations;
using OnCall.Core.Tests.Fakes;
using static OnCall.Core.Tests.Rotations;

namespace OnCall.Core.Tests.Incidents;

/// <summary>
/// The service with its ports in memory. The clock stands at 2026-11-10 12:00Z: on Rotations.Rotation()'s weekly
/// primary layer (Ada from 2026-11-02, then Lin) Lin is on call.
/// </summary>
public sealed class IncidentServiceTests
{
    private static readonly Instant Now = Utc("2026-11-10T12:00:00Z");

    private readonly FakeTimeProvider _clock = new(Now.ToDateTimeOffset());
    private readonly InMemoryIncidents _incidents = new();
    private readonly InMemoryRotations _rotations = new();
    private readonly RecordingQueue _queue = new();
    private readonly IncidentService _service;

    public IncidentServiceTests()
    {
        _rotations.Seed(Rotation());
        _service = Service();
    }

    [Fact]
    public async Task IngestAsync_NewAlert_OpensAnIncidentAndQueuesItsEvent()
    {
        var result = await _service.IngestAsync(Alert());

        Assert.Equal((IncidentStatus.Open, false), (result.Status, result.Duplicate));
        Assert.Equal([(result.Id!, "opened")], _queue.On(IncidentQueues.Events).Select(e => (e.IncidentId, e.Kind)));
        var incident = _incidents[result.Id!];
        Assert.Equal(("Disk full", Severity.Major, Now), (incident.Title, incident.Severity, incident.OpenedAt));
    }

    [Fact]
    public async Task IngestAsync_NewAlert_CommanderIsWhoIsPrimaryOnCall()
    {
        var result = await _service.IngestAsync(Alert());

        Assert.Equal(Lin, _incidents[result.Id!].Commander);
        Assert.Equal("Opened (major); commander Lin.", Assert.Single(_incidents.Timeline(result.Id!)).Message);
    }

    [Fact]
    public async Task IngestAsync_NoPrimaryLayer_TheFirstLayerCommands()
    {
        _rotations.Seed(Rotation(layers: Layer(name: "secondary", members: [Sam, Ada])));

        var result = await _service.IngestAsync(Alert());

        Assert.Equal(Ada, _incidents[result.Id!].Commander);
    }

    [Fact]
    public async Task IngestAsync_NoRotationNamed_NoCommanderSaysWhy()
    {
        var result = await _service.IngestAsync(Alert(rotation: null));

        Assert.Null(_incidents[result.Id!].Commander);
        Assert.Equal("Opened (major); no rotation named, so no commander.", _incidents.Timeline(result.Id!)[0].Message);
    }

    [Fact]
    public async Task IngestAsync_NoRotationNamed_TheDefaultRotationCommands()
    {
        var service = Service(new IncidentSettings { DefaultRotation = "platform" });

        var result = await service.IngestAsync(Alert(rotation: null));

        Assert.Equal(("platform", Lin), (_incidents[result.Id!].RotationId, _incidents[result.Id!].Commander));
    }

    [Theory]
    [InlineData("payments")]
    [InlineData("Not a rotation!")]
    public async Task IngestAsync_UnknownRotation_NoCommanderSaysWhy(string rotation)
    {
        var result = await _service.IngestAsync(Alert(rotation: rotation));

        Assert.Null(_incidents[result.Id!].Commander);
        Assert.Contains("does not exist or has nobody on call", _incidents.Timeline(result.Id!)[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task IngestAsync_Notes_GoOnTheTimelineWithTheAlert()
    {
        var result = await _service.IngestAsync(Alert() with { Notes = ["Severity 'p1' taken as minor."] });

        var message = _incidents.Timeline(result.Id!)[0].Message;
        Assert.EndsWith("commander Lin. Severity 'p1' taken as minor.", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task IngestAsync_SameAlertAgain_RepeatsTheOpenIncident()
    {
        var first = await _service.IngestAsync(Alert());

        var again = await _service.IngestAsync(Alert());

        Assert.Equal((first.Id, IncidentStatus.Open, true), (again.Id, again.Status, again.Duplicate));
        Assert.Equal(["opened", "alert"], _queue.On(IncidentQueues.Events).Select(e => e.Kind));
        Assert.Equal("Alert received again: Disk full", _incidents.Timeline(first.Id!)[^1].Message);
    }

    [Fact]
    public async Task IngestAsync_SameAlertOnAnotherInstance_RepeatsTheOpenIncident()
    {
        var first = await _service.IngestAsync(Alert());

        var again = await Service().IngestAsync(Alert());

        Assert.Equal((first.Id, true), (again.Id, again.Duplicate));
        Assert.Single(await _incidents.ListAsync());
    }

    [Fact]
    public async Task IngestAsync_KnownKeyClosedElsewhere_OpensANewIncident()
    {
        var first = await _service.IngestAsync(Alert());
        await Service().SetStatusAsync(first.Id!, IncidentStatus.Resolved, null);

        var next = await _service.IngestAsync(Alert());

        Assert.NotEqual(first.Id, next.Id);
        Assert.False(next.Duplicate);
    }

    [Fact]
    public async Task IngestAsync_Resolve_ResolvesTheOpenIncident()
    {
        var opened = await _service.IngestAsync(Alert());

        var resolved = await _service.IngestAsync(Alert() with { Resolved = true });

        Assert.Equal((opened.Id, IncidentStatus.Resolved, false), (resolved.Id, resolved.Status, resolved.Duplicate));
        var incident = _incidents[opened.Id!];
        Assert.Equal(
            (IncidentStatus.Resolved, Now, "Resolved: the alert cleared."), (incident.Status, incident.ResolvedAt, incident.StatusMessage));
        Assert.Equal(["opened", "resolved"], _queue.On(IncidentQueues.Events).Select(e => e.Kind));
    }

    [Fact]
    public async Task IngestAsync_ResolveAgain_RepeatAndItsEventQueuedAgain()
    {
        var opened = await _service.IngestAsync(Alert());
        await _service.IngestAsync(Alert() with { Resolved = true });

        var again = await _service.IngestAsync(Alert() with { Resolved = true });

        Assert.Equal((opened.Id, IncidentStatus.Resolved, true), (again.Id, again.Status, again.Duplicate));
        Assert.Equal(["opened", "resolved", "resolved"], _queue.On(IncidentQueues.Events).Select(e => e.Kind));
    }

    [Fact]
    public async Task IngestAsync_ResolveOfNothingEverOpened_RepeatWithoutEvent()
    {
        var result = await _service.IngestAsync(Alert() with { Resolved = true });

        Assert.Equal(new IngestResult(null, null, true), result);
        Assert.Empty(_queue.Sent);
    }

    [Fact]
    public async Task IngestAsync_ResolveRacesAStatusChange_ResolvesTheNewVersion()
    {
        var opened = await _service.IngestAsync(Alert());
        _incidents.BeforeSave.Enqueue(
            () => _incidents.ChangeBehindTheScenes(opened.Id!, i => i with { Status = IncidentStatus.Acknowledged }));

        var resolved = await _service.IngestAsync(Alert() with { Resolved = true });

        Assert.Equal(IncidentStatus.Resolved, resolved.Status);
        Assert.Equal(IncidentStatus.Resolved, _incidents[opened.Id!].Status);
    }

    [Fact]
    public async Task IngestAsync_ResolveLosesEveryRound_ConcurrencyException()
    {
        var opened = await _service.IngestAsync(Alert());
        for (var round = 0; round < 10; round++)
        {
            _incidents.BeforeSave.Enqueue(() => _incidents.ChangeBehindTheScenes(opened.Id!, i => i));
        }

        await Assert.ThrowsAsync<ConcurrencyException>(() => _service.IngestAsync(Alert() with { Resolved = true }));
    }

    [Fact]
    public async Task SetStatusAsync_Acknowledge_SavedWithDefaultMessageAsAdmin()
    {
        var id = (await _service.IngestAsync(Alert())).Id!;

        var details = await _service.SetStatusAsync(id, IncidentStatus.Acknowledged, null);

        Assert.Equal(IncidentStatus.Acknowledged, details.Incident.Status);
        var entry = details.Timeline[^1];
        Assert.Equal((TimelineKind.Acknowledged, "Status changed to acknowledged.", TimelineEntry.AdminKey), (entry.Kind, entry.Message, entry.By));
        Assert.Equal(["opened", "status"], _queue.On(IncidentQueues.Events).Select(e => e.Kind));
    }

    [Fact]
    public async Task SetStatusAsync_MessageAndAuthor_OnTheTimelineAndSentOn()
    {
        var id = (await _service.IngestAsync(Alert())).Id!;

        var details = await _service.SetStatusAsync(id, IncidentStatus.Investigating, "  Looking at the disks. ", "ada@example.com");

        Assert.Equal(("Looking at the disks.", "ada@example.com"), (details.Timeline[^1].Message, details.Timeline[^1].By));
        Assert.Equal("Looking at the disks.", details.Incident.StatusMessage);
    }

    [Fact]
    public async Task SetStatusAsync_Resolved_RecordsWhen()
    {
        var id = (await _service.IngestAsync(Alert())).Id!;
        _clock.Advance(TimeSpan.FromMinutes(7));

        var details = await _service.SetStatusAsync(id, IncidentStatus.Resolved, null);

        Assert.Equal(Now + Duration.FromMinutes(7), details.Incident.ResolvedAt);
    }

    [Fact]
    public async Task SetStatusAsync_SameStatusAgain_NothingWrittenEventQueuedAgain()
    {
        var id = (await _service.IngestAsync(Alert())).Id!;
        await _service.SetStatusAsync(id, IncidentStatus.Acknowledged, null);
        var saves = _incidents.Saves;

        await _service.SetStatusAsync(id, IncidentStatus.Acknowledged, null);

        Assert.Equal(saves, _incidents.Saves);
        Assert.Equal(["opened", "status", "status"], _queue.On(IncidentQueues.Events).Select(e => e.Kind));
    }

    [Fact]
    public async Task SetStatusAsync_ResolvedBackToInvestigating_Conflict()
    {
        var id = (await _service.IngestAsync(Alert())).Id!;
        await _service.SetStatusAsync(id, IncidentStatus.Resolved, null);

        var error = await Assert.ThrowsAsync<ConflictException>(() => _service.SetStatusAsync(id, IncidentStatus.Investigating, null));

        Assert.Contains("is resolved and cannot become investigating", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SetStatusAsync_LosesARace_RetriedOnTheNewVersion()
    {
        var id = (await _service.IngestAsync(Alert())).Id!;
        _incidents.BeforeSave.Enqueue(() => _incidents.ChangeBehindTheScenes(id, i => i with { StatusMessage = "elsewhere" }));

        var details = await _service.SetStatusAsync(id, IncidentStatus.Acknowledged, null);

        Assert.Equal(IncidentStatus.Acknowledged, details.Incident.Status);
    }

    [Fact]
    public async Task SetStatusAsync_UnknownIncident_NotFound() =>
        await Assert.ThrowsAsync<NotFoundException>(
            () => _service.SetStatusAsync(IncidentIds.New("a", "b", Now), IncidentStatus.Acknowledged, null));

    [Fact]
    public async Task GetAsync_NotAnIncidentId_NotFoundWithoutReading() =>
        await Assert.ThrowsAsync<NotFoundException>(() => _service.GetAsync("../rotations"));

    [Fact]
    public async Task GetAsync_Incident_WithItsTimelineOldestFirst()
    {
        var id = (await _service.IngestAsync(Alert())).Id!;
        await _service.IngestAsync(Alert());

        var details = await _service.GetAsync(id);

        Assert.Equal([TimelineKind.Opened, TimelineKind.Alert], details.Timeline.Select(e => e.Kind));
    }

    [Fact]
    public async Task ListAsync_ByStatus_OnlyThatStatus()
    {
        var id = (await _service.IngestAsync(Alert())).Id!;
        await _service.IngestAsync(Alert("other"));
        await _service.SetStatusAsync(id, IncidentStatus.Acknowledged, null);

        var listed = await _service.ListAsync(IncidentStatus.Acknowledged);

        Assert.Equal([id], listed.Select(i => i.Id));
    }

    [Fact]
    public async Task ListActiveAsync_OfOneRotation_OnlyItsOpenIncidents()
    {
        var platform = (await _service.IngestAsync(Alert())).Id!;
        await _service.IngestAsync(Alert("other", rotation: null));
        await _service.IngestAsync(Alert("closed"));
        await _service.IngestAsync(Alert("closed") with { Resolved = true });

        var active = await _service.ListActiveAsync("platform");

        Assert.Equal([platform], active.Select(i => i.Id));
    }

    [Fact]
    public async Task ListActiveAsync_NotARotationId_ValidationFailed() =>
        await Assert.ThrowsAsync<ValidationFailedException>(() => _service.ListActiveAsync("Not a rotation!"));

    [Fact]
    public async Task SetStatusAsync_MessageTooLong_RefusedNamingMessage()
    {
        var id = (await _service.IngestAsync(Alert())).Id!;

        var refused = await Assert.ThrowsAsync<ValidationFailedException>(
            () => _service.SetStatusAsync(id, IncidentStatus.Acknowledged, new string('m', IncidentRules.MaxTextLength + 1)));

        Assert.Equal(["message"], refused.Errors.Keys);
    }

    [Fact]
    public async Task SetStatusAsync_ByTooLong_RefusedNamingByAndNothingSaved()
    {
        var id = (await _service.IngestAsync(Alert())).Id!;
        var by = new string('b', IncidentRules.MaxTitleLength + 1);

        var refused = await Assert.ThrowsAsync<ValidationFailedException>(
            () => _service.SetStatusAsync(id, IncidentStatus.Acknowledged, null, by));

        Assert.Equal(["by"], refused.Errors.Keys);
        Assert.Equal(IncidentStatus.Open, _incidents[id].Status);
    }

    private IncidentService Service(IncidentSettings? settings = null) =>
        new(
            _incidents,
            _queue,
            settings ?? new IncidentSettings(),
            new RecentRotations(_rotations, _clock),
            PlainMeterFactory.Metrics(),
            _clock);

    private static Alert Alert(string key = "disk-full", string? rotation = "platform") =>
        new("alertmanager", key, Severity.Major, "Disk full", "The disk is full.", "api", ["API"], rotation, false);
}
