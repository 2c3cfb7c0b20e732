using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using NodaTime;
using OnCall.Core.Incidents;
using OnCall.Core.Jobs;
using OnCall.Core.Ports;
using OnCall.Core.Tests.Fakes;
using static OnCall.Core.Tests.Rotations;

namespace OnCall.Core.Tests.Incidents;

/// <summary>
/// The job with Statuspage, GitHub and the incidents table in memory. The clock stands at 2026-11-10 12:00Z; incidents
/// opened an hour before (major, commanded by Ada) unless a test says otherwise. Default thresholds: major.
/// </summary>
public sealed class ProcessIncidentEventJobTests
{
    private static readonly Instant Now = Utc("2026-11-10T12:00:00Z");
    private static readonly Instant Opened = Now - Duration.FromHours(1);
    private const string SpUrl = "https://status.example.com/incidents/sp1";

    private readonly FakeTimeProvider _clock = new(Now.ToDateTimeOffset());
    private readonly InMemoryIncidents _incidents = new();
    private readonly InMemoryStatuspage _statuspage = new();
    private readonly InMemoryPostMortems _postMortems = new();
    private readonly RecordingQueue _queue = new();

    private ProcessIncidentEventJob Job => new(
        _incidents, _statuspage, _postMortems, _queue, new IncidentSettings(), _clock, NullLogger<ProcessIncidentEventJob>.Instance);

    [Fact]
    public async Task HandleAsync_UnknownIncident_TouchesNothing()
    {
        await HandleAsync(IncidentIds.New("alertmanager", "gone", Opened));

        Assert.Empty(_statuspage.Calls);
        Assert.Empty(_queue.Sent);
    }

    [Fact]
    public async Task HandleAsync_AlertEvent_ListsTheOpenIncident()
    {
        var id = Seed(Incident());

        await HandleAsync(id, "alert");

        Assert.Equal(1, _incidents.EnsureListedCalls);
    }

    [Fact]
    public async Task HandleAsync_StatusEvent_DoesNotListAgain()
    {
        var id = Seed(Incident());

        await HandleAsync(id, "status");

        Assert.Equal(0, _incidents.EnsureListedCalls);
    }

    [Fact]
    public async Task HandleAsync_OpenMajorIncident_PostsItInvestigating()
    {
        var id = Seed(Incident());

        await HandleAsync(id);

        var (call, post) = Assert.Single(_statuspage.Calls);
        Assert.Equal(
            ("create", "investigating", "major", "partial_outage", "The disk is full."),
            (call, post.Status, post.Impact, post.ComponentStatus, post.Body));
        Assert.Equal(new StepState(StepStatus.Created, "sp1", SpUrl, "investigating"), _incidents[id].Statuspage);
    }

    [Fact]
    public async Task HandleAsync_Posted_TimelineSaysSo()
    {
        var id = Seed(Incident());

        await HandleAsync(id);

        var entry = Assert.Single(_incidents.Timeline(id));
        Assert.Equal((TimelineKind.Statuspage, TimelineEntry.App), (entry.Kind, entry.By));
        Assert.Contains("sp1", entry.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HandleAsync_SameEventTwice_PostsOnce()
    {
        var id = Seed(Incident());

        await HandleAsync(id);
        await HandleAsync(id);

        Assert.Single(_statuspage.Calls);
    }

    [Fact]
    public async Task HandleAsync_CriticalIncident_MajorOutage()
    {
        var id = Seed(Incident(Severity.Critical));

        await HandleAsync(id);

        Assert.Equal(("critical", "major_outage"), (_statuspage.Calls[0].Post.Impact, _statuspage.Calls[0].Post.ComponentStatus));
    }

    [Fact]
    public async Task HandleAsync_StatusMovedToIdentified_UpdatesWithItsMessage()
    {
        var id = Seed(Posted(Incident() with { Status = IncidentStatus.Identified, StatusMessage = "A runaway log." }));

        await HandleAsync(id);

        var (call, post) = Assert.Single(_statuspage.Calls);
        Assert.Equal(("update", "identified", "A runaway log."), (call, post.Status, post.Body));
        Assert.Equal((StepStatus.Updated, "identified"), (_incidents[id].Statuspage.Status, _incidents[id].Statuspage.Applied));
    }

    [Fact]
    public async Task HandleAsync_Resolved_ResolvesStatuspageWithComponentsOperational()
    {
        var id = Seed(Posted(Resolved(Incident())));

        await HandleAsync(id);

        var (call, post) = Assert.Single(_statuspage.Calls);
        Assert.Equal(("update", "resolved", "operational"), (call, post.Status, post.ComponentStatus));
        Assert.Equal(StepStatus.Resolved, _incidents[id].Statuspage.Status);
    }

    [Fact]
    public async Task HandleAsync_Canceled_ResolvesStatuspage()
    {
        var id = Seed(Posted(Resolved(Incident()) with { Status = IncidentStatus.Canceled }));

        await HandleAsync(id);

        Assert.Equal("resolved", Assert.Single(_statuspage.Calls).Post.Status);
    }

    [Fact]
    public async Task HandleAsync_StatuspageNotConfigured_SkippedSayingWhy()
    {
        _statuspage.IsConfigured = false;
        var id = Seed(Incident());

        await HandleAsync(id);

        Assert.Empty(_statuspage.Calls);
        Assert.Equal(StepStatus.Skipped, _incidents[id].Statuspage.Status);
        Assert.Contains("not configured", _incidents[id].Statuspage.Note, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HandleAsync_MinorIncident_StatuspageSkippedBelowThreshold()
    {
        var id = Seed(Incident(Severity.Minor));

        await HandleAsync(id);

        Assert.Empty(_statuspage.Calls);
        Assert.Contains("below the threshold major", _incidents[id].Statuspage.Note, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HandleAsync_ResolvedBeforeEverPosted_StatuspageSkipped()
    {
        _postMortems.IsConfigured = false;
        var id = Seed(Resolved(Incident()));

        await HandleAsync(id);

        Assert.Empty(_statuspage.Calls);
        Assert.Equal(StepStatus.Skipped, _incidents[id].Statuspage.Status);
    }

    [Fact]
    public async Task HandleAsync_ClaimedByAnotherWorker_ComesBackWhenTheLeaseEnds()
    {
        var id = Seed(Incident() with { Statuspage = Claimed("investigating", Duration.FromMinutes(2)) });

        await HandleAsync(id);

        Assert.Empty(_statuspage.Calls);
        var (queue, message, delay) = Assert.Single(_queue.Sent);
        Assert.Equal((IncidentQueues.Events.Name, id, TimeSpan.FromSeconds(181)), (queue, ((IncidentEvent)message!).IncidentId, delay));
    }

    [Fact]
    public async Task HandleAsync_LapsedClaimWhoseCreateWentThrough_UpdatesTheOneFound()
    {
        var id = Seed(Incident() with { Statuspage = Claimed("investigating", Duration.FromMinutes(10)) });
        await _statuspage.CreateAsync(new StatuspagePost(id, "Disk full", "investigating", "b", "major", [], "partial_outage"));

        await HandleAsync(id);

        Assert.Equal(["create", "update"], _statuspage.Calls.Select(c => c.Call));
        Assert.Equal(("sp1", StepStatus.Updated), (_incidents[id].Statuspage.ExternalId, _incidents[id].Statuspage.Status));
    }

    [Fact]
    public async Task HandleAsync_CreateAnswerLost_FailsThenFindsItInsteadOfCreatingAgain()
    {
        _statuspage.LoseNextCreateAnswer = true;
        var id = Seed(Incident());

        await Assert.ThrowsAsync<TimeoutException>(() => HandleAsync(id));
        Assert.Equal(StepStatus.Failed, _incidents[id].Statuspage.Status);
        await HandleAsync(id);

        Assert.Equal(["create", "update"], _statuspage.Calls.Select(c => c.Call));
        Assert.Equal("sp1", _incidents[id].Statuspage.ExternalId);
    }

    [Fact]
    public async Task HandleAsync_LapsedClaimNothingPostedAndResolved_Skipped()
    {
        _postMortems.IsConfigured = false;
        var id = Seed(Resolved(Incident()) with { Statuspage = Claimed("investigating", Duration.FromMinutes(10)) });

        await HandleAsync(id);

        Assert.Empty(_statuspage.Calls);
        Assert.Equal(StepStatus.Skipped, _incidents[id].Statuspage.Status);
    }

    [Fact]
    public async Task HandleAsync_RateLimited_RequeuedAfterRetryAfterWithoutFailing()
    {
        _statuspage.Failures.Enqueue(new RetryLaterException(TimeSpan.FromSeconds(9.2), "429"));
        var id = Seed(Incident());

        await HandleAsync(id);

        Assert.Equal(TimeSpan.FromSeconds(10), Assert.Single(_queue.Sent).Delay);
        var state = _incidents[id].Statuspage;
        Assert.Equal((StepStatus.Failed, Now + Duration.FromMilliseconds(9200)), (state.Status, state.RetryAt));
    }

    [Fact]
    public async Task HandleAsync_WhileAskedToWait_RequeuedForTheRestWithoutCalling()
    {
        var id = Seed(Incident() with { Statuspage = new StepState(StepStatus.Failed, RetryAt: Now + Duration.FromSeconds(20)) });

        await HandleAsync(id);

        Assert.Empty(_statuspage.Calls);
        Assert.Equal(TimeSpan.FromSeconds(20), Assert.Single(_queue.Sent).Delay);
    }

    [Fact]
    public async Task HandleAsync_StatuspageDown_PostMortemStillFiledThenEventFails()
    {
        _statuspage.Failures.Enqueue(new HttpRequestException("503"));
        var id = Seed(Posted(Resolved(Incident())));

        await Assert.ThrowsAsync<HttpRequestException>(() => HandleAsync(id));

        Assert.Single(_postMortems.Filed);
        Assert.Equal((StepStatus.Failed, "503"), (_incidents[id].Statuspage.Status, _incidents[id].Statuspage.Note));
    }

    [Fact]
    public async Task HandleAsync_ClaimLostToAStatusChange_PostsTheNewStatus()
    {
        var id = Seed(Incident());
        _incidents.BeforeSave.Enqueue(() => _incidents.ChangeBehindTheScenes(id, i => i with { Status = IncidentStatus.Identified }));

        await HandleAsync(id);

        Assert.Equal("identified", Assert.Single(_statuspage.Calls).Post.Status);
    }

    [Fact]
    public async Task HandleAsync_ReleaseAfterAFailureFails_OriginalErrorReported()
    {
        _statuspage.Failures.Enqueue(new HttpRequestException("503"));
        var id = Seed(Incident());
        _incidents.BeforeSave.Enqueue(() => { });
        _incidents.BeforeSave.Enqueue(() => throw new InvalidOperationException("storage down"));

        await Assert.ThrowsAsync<HttpRequestException>(() => HandleAsync(id));

        Assert.Equal(StepStatus.Pending, _incidents[id].Statuspage.Status);
    }

    [Fact]
    public async Task HandleAsync_ResolvedMajor_FilesThePostMortemOnce()
    {
        var id = Seed(Posted(Resolved(Incident())));

        await HandleAsync(id);
        await HandleAsync(id);

        var (draft, issue) = Assert.Single(_postMortems.Filed);
        Assert.Equal((id, PostMortemWriter.Title(_incidents[id])), (draft.IncidentId, draft.Title));
        Assert.Equal(new StepState(StepStatus.Created, "41", issue.Url, "created"), _incidents[id].PostMortem);
    }

    [Fact]
    public async Task HandleAsync_OpenIncident_NoPostMortem()
    {
        var id = Seed(Incident());

        await HandleAsync(id);

        Assert.Empty(_postMortems.Filed);
        Assert.Equal(StepStatus.None, _incidents[id].PostMortem.Status);
    }

    [Fact]
    public async Task HandleAsync_PostMortemNotConfigured_SkippedSayingWhy()
    {
        _postMortems.IsConfigured = false;
        var id = Seed(Posted(Resolved(Incident())));

        await HandleAsync(id);

        Assert.Equal(StepStatus.Skipped, _incidents[id].PostMortem.Status);
        Assert.Contains("GitHub integration is not configured", _incidents[id].PostMortem.Note, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HandleAsync_MinorResolved_PostMortemSkippedBelowThreshold()
    {
        var id = Seed(Resolved(Incident(Severity.Minor)));

        await HandleAsync(id);

        Assert.Empty(_postMortems.Filed);
        Assert.Contains("below the threshold", _incidents[id].PostMortem.Note, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HandleAsync_PostMortemCreateFails_MarkedFailedAndThrown()
    {
        _statuspage.IsConfigured = false;
        _postMortems.Failures.Enqueue(new HttpRequestException("502"));
        var id = Seed(Resolved(Incident()));

        await Assert.ThrowsAsync<HttpRequestException>(() => HandleAsync(id));

        Assert.Equal((StepStatus.Failed, "502"), (_incidents[id].PostMortem.Status, _incidents[id].PostMortem.Note));
    }

    [Fact]
    public async Task HandleAsync_PostMortemAnswerLost_NextTryFindsTheIssue()
    {
        _statuspage.IsConfigured = false;
        _postMortems.LoseNextCreateAnswer = true;
        var id = Seed(Resolved(Incident()));

        await Assert.ThrowsAsync<TimeoutException>(() => HandleAsync(id));
        await HandleAsync(id);

        Assert.Single(_postMortems.Filed);
        Assert.Equal(StepStatus.Created, _incidents[id].PostMortem.Status);
        Assert.Contains(_incidents.Timeline(id), e => e.Kind == TimelineKind.PostMortem && e.Message.Contains("found", StringComparison.Ordinal));
    }

    [Fact]
    public async Task HandleAsync_PostMortemClaimedElsewhere_ComesBackWhenTheLeaseEnds()
    {
        _statuspage.IsConfigured = false;
        var id = Seed(Resolved(Incident()) with { PostMortem = Claimed("created", Duration.FromMinutes(4)) });

        await HandleAsync(id);

        Assert.Empty(_postMortems.Filed);
        Assert.Equal(TimeSpan.FromSeconds(61), Assert.Single(_queue.Sent).Delay);
    }

    [Fact]
    public async Task HandleAsync_PostMortemRateLimited_WaitsAndComesBack()
    {
        _statuspage.IsConfigured = false;
        _postMortems.Failures.Enqueue(new RetryLaterException(TimeSpan.FromSeconds(30), "403 rate limit"));
        var id = Seed(Resolved(Incident()));

        await HandleAsync(id);
        await HandleAsync(id);

        Assert.Empty(_postMortems.Filed);
        Assert.Equal([TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(30)], _queue.Sent.Select(s => s.Delay));
    }

    private Task HandleAsync(string id, string kind = "opened", CancellationToken cancellationToken = default) =>
        Job.HandleAsync(new WorkItem<IncidentEvent>("m1", new IncidentEvent(id, kind), 1), cancellationToken);

    private string Seed(Incident incident)
    {
        _incidents.Seed(incident);
        return incident.Id;
    }

    private static Incident Incident(Severity severity = Severity.Major) =>
        new(IncidentIds.New("alertmanager", "disk-full", Opened), "alertmanager", "disk-full", "Disk full", severity, IncidentStatus.Open,
            "platform", "api", "The disk is full.", ["API"], Ada, Opened);

    private static Incident Resolved(Incident incident) =>
        incident with
        {
            Status = IncidentStatus.Resolved,
            ResolvedAt = Now - Duration.FromMinutes(5),
            StatusMessage = "Resolved: the alert cleared.",
        };

    private static Incident Posted(Incident incident) =>
        incident with { Statuspage = new StepState(StepStatus.Created, "sp1", SpUrl, "investigating") };

    private static StepState Claimed(string target, Duration ago) =>
        new(StepStatus.Pending, Target: target, ClaimedAt: Now - ago);
}
