using Microsoft.Extensions.Logging.Abstractions;
using NodaTime;
using OnCall.Core.CalendarSync;
using OnCall.Core.Errors;
using OnCall.Core.Feeds;
using OnCall.Core.Jobs;
using OnCall.Core.Rotations;
using OnCall.Core.Tests.Fakes;
using static OnCall.Core.Tests.Rotations;

namespace OnCall.Core.Tests.CalendarSync;

/// <summary>
/// The Google sync through its public methods, with rotations, feed ledger, sync store and Google Calendar in memory.
/// The clock at 2026-11-10 12:00Z; Rotations.Rotation()'s weekly layer, written to the calendar "team@cal". Retries wait
/// no time unless Google asks for a pause.
/// </summary>
public sealed class CalendarSyncServiceTests
{
    private const string Calendar = "team@cal";
    private static readonly Instant Now = Utc("2026-11-10T12:00:00Z");

    private readonly TimerWatchingClock _clock = new(Now.ToDateTimeOffset());
    private readonly InMemoryRotations _rotations = new();
    private readonly InMemoryFeedLedger _ledger = new();
    private readonly InMemoryCalendarSyncStore _store = new();
    private readonly InMemoryGoogleCalendar _google = new();

    public CalendarSyncServiceTests() => _rotations.Seed(OnCalendar(Calendar));

    [Fact]
    public async Task SyncAllAsync_NewCalendar_InsertsEveryShiftFromADayAgoToTheHorizon()
    {
        await Service().SyncAllAsync();

        var wanted = Wanted();
        Assert.Equal(wanted.Order(StringComparer.Ordinal), _google.Live(Calendar).Keys.Order(StringComparer.Ordinal));
        var state = _store["platform"]!;
        Assert.Equal((new SyncCounts(wanted.Count, 0, 0, 0), Now, null), (state.Counts, state.LastSyncAt, state.LastError));
    }

    [Fact]
    public async Task SyncAllAsync_Event_ShowsTheShiftAsTheFeedDoes()
    {
        await Service().SyncAllAsync();

        var linsShift = _google.Live(Calendar).Values.Single(e => e.Start == Utc("2026-11-09T15:00:00Z"));
        Assert.Equal(
            ("On call: Lin (Platform primary)", "America/New_York", true), (linsShift.Summary, linsShift.TimeZone, linsShift.Transparent));
        Assert.Empty(linsShift.Attendees);
    }

    [Fact]
    public async Task SyncAllAsync_MembersAsAttendees_InvitesTheMember()
    {
        await Service(CalendarSyncSettings.Default with { MembersAsAttendees = true, RetryBaseDelay = TimeSpan.Zero }).SyncAllAsync();

        Assert.All(_google.Live(Calendar).Values, e => Assert.Single(e.Attendees));
    }

    [Fact]
    public async Task SyncAllAsync_Twice_TheSecondRunWritesNothing()
    {
        await Service().SyncAllAsync();
        var writes = _google.WriteCalls;

        await Service().SyncAllAsync();

        Assert.Equal(writes, _google.WriteCalls);
        Assert.Equal(new SyncCounts(0, 0, 0, Wanted().Count), _store["platform"]!.Counts);
    }

    [Fact]
    public async Task SyncAllAsync_NothingToWrite_ReadsTheEntriesOnce()
    {
        await Service().SyncAllAsync();
        var reads = _ledger.WindowReads;

        await Service().SyncAllAsync();

        Assert.Equal(1, _ledger.WindowReads - reads);
    }

    [Fact]
    public async Task SyncAllAsync_EventsToWrite_ReadsTheEntriesAgainToWriteThem()
    {
        await Service().SyncAllAsync();

        Assert.Equal(2, _ledger.WindowReads);
    }

    [Fact]
    public async Task SyncAllAsync_RunAfterOneThatWrote_SavesNothingItKnew()
    {
        await Service().SyncAllAsync();
        var saved = _store.EventsSaved;

        await Service().SyncAllAsync();

        Assert.Equal(saved, _store.EventsSaved);
    }

    [Fact]
    public async Task SyncAllAsync_SupervisorRenamed_EveryEventPatched()
    {
        await Service().SyncAllAsync();
        var renamed = _rotations["platform"].Settings with { Supervisor = new Supervisor("Dee", "dana@example.com") };
        _rotations.Seed(_rotations["platform"] with { Settings = renamed });

        await Service().SyncAllAsync();

        Assert.Equal(Wanted().Count, _store["platform"]!.Counts.Patched);
        Assert.All(_google.Live(Calendar).Values, e => Assert.Contains("Supervisor: Dee", e.Description, StringComparison.Ordinal));
    }

    [Fact]
    public async Task SyncAllAsync_EventEditedByHand_PatchedBack()
    {
        await Service().SyncAllAsync();
        var id = Wanted()[0];
        var original = _google.Live(Calendar)[id];
        _google.ByHand(Calendar, id, c => c with { Summary = "Moved by hand" });

        await Service().SyncAllAsync();

        Assert.Equal(original, _google.Live(Calendar)[id]);
        Assert.Equal(1, _store["platform"]!.Counts.Patched);
    }

    [Fact]
    public async Task SyncAllAsync_EventDeletedByHand_Restored()
    {
        await Service().SyncAllAsync();
        var id = Wanted()[0];
        _google.ByHand(Calendar, id);

        await Service().SyncAllAsync();

        Assert.Contains(id, _google.Live(Calendar).Keys);
    }

    [Fact]
    public async Task SyncAllAsync_OurEventForNoShift_Deleted()
    {
        _google.Add(Calendar, "leftover1", "platform", Content(Now + Duration.FromDays(3)));

        await Service().SyncAllAsync();

        Assert.DoesNotContain("leftover1", _google.Live(Calendar).Keys);
        Assert.Equal(1, _store["platform"]!.Counts.Deleted);
    }

    [Fact]
    public async Task SyncAllAsync_SomeoneElsesEvent_LeftAlone()
    {
        var lunch = Content(Now + Duration.FromDays(1)) with { Summary = "Team lunch" };
        _google.Add(Calendar, "lunch1", null, lunch);
        await Service().SyncAllAsync();
        _google.ByHand(Calendar, "lunch1", c => c with { Summary = "Team lunch (moved)" });

        await Service().SyncAllAsync();

        Assert.Equal("Team lunch (moved)", _google.Live(Calendar)["lunch1"].Summary);
    }

    [Fact]
    public async Task SyncAllAsync_ListTokenExpired_ListsEverythingAgain()
    {
        await Service().SyncAllAsync();
        _google.ExpireTokens();

        await Service().SyncAllAsync();

        var state = _store["platform"]!;
        Assert.Equal((null, new SyncCounts(0, 0, 0, Wanted().Count)), (state.LastError, state.Counts));
    }

    [Fact]
    public async Task SyncAllAsync_ListTokenExpiredAndAnEventGoneForGood_InsertsItAgain()
    {
        await Service().SyncAllAsync();
        var gone = _google.Live(Calendar).Keys.Order(StringComparer.Ordinal).First();
        _google.Purge(Calendar, gone);
        _google.ExpireTokens();

        await Service().SyncAllAsync();

        Assert.Contains(gone, _google.Live(Calendar).Keys);
        Assert.Equal(1, _store["platform"]!.Counts.Inserted);
    }

    [Fact]
    public async Task SyncAllAsync_ManyPages_ReadsThemAll()
    {
        await Service().SyncAllAsync();
        _google.PageSize = 2;
        _google.ExpireTokens();

        await Service().SyncAllAsync();

        Assert.Equal(0, _store["platform"]!.Counts.Inserted);
        Assert.True(_store["platform"]!.Requests > Wanted().Count / 2);
    }

    [Fact]
    public async Task SyncAllAsync_SmallBatches_EveryShiftWritten()
    {
        _google.BatchSize = 3;

        await Service().SyncAllAsync();

        Assert.Equal(Wanted().Count, _google.Live(Calendar).Count);
    }

    [Fact]
    public async Task SyncAllAsync_NoCalendar_FeedReconciledNothingWritten()
    {
        _rotations.Seed(Rotation());

        await Service().SyncAllAsync();

        Assert.NotNull(await _ledger.GetStateAsync("platform"));
        Assert.Equal((0, null), (_google.ListCalls, _store["platform"]));
    }

    [Fact]
    public async Task SyncAllAsync_GoogleNotConfigured_RecordedAsSkippedOnce()
    {
        _google.IsConfigured = false;

        await Service().SyncAllAsync();
        var first = _store["platform"]!.ETag;
        await Service().SyncAllAsync();

        Assert.Equal((CalendarSyncService.NotConfigured, first), (_store["platform"]!.LastError, _store["platform"]!.ETag));
        Assert.Equal(0, _google.ListCalls);
    }

    [Fact]
    public async Task SyncAllAsync_MovedToAnotherCalendar_OldOneEmptiedNewOneFilled()
    {
        await Service().SyncAllAsync();
        _rotations.Seed(OnCalendar("other@cal"));

        await Service().SyncAllAsync();

        Assert.DoesNotContain(_google.Live(Calendar).Values, e => e.End > Now - CalendarSyncService.Lookback);
        Assert.Equal(Wanted().Count, _google.Live("other@cal").Count);
        Assert.Equal("other@cal", _store["platform"]!.CalendarId);
    }

    [Fact]
    public async Task SyncAllAsync_LeftGoogle_OldCalendarEmptiedStateForgotten()
    {
        await Service().SyncAllAsync();
        _rotations.Seed(Rotation());

        await Service().SyncAllAsync();

        Assert.Empty(_google.Live(Calendar));
        Assert.Null(_store["platform"]);
    }

    [Fact]
    public async Task SyncAllAsync_RotationDeleted_ItsEventsRemovedAndStateForgotten()
    {
        await Service().SyncAllAsync();
        await _rotations.DeleteAsync("platform");

        await Service().SyncAllAsync();

        Assert.Empty(_google.Live(Calendar));
        Assert.Null(_store["platform"]);
    }

    [Fact]
    public async Task SyncAllAsync_RotationDeletedGoogleUnreachable_ErrorKeptToTryAgain()
    {
        await Service().SyncAllAsync();
        await _rotations.DeleteAsync("platform");
        _google.ListFailures[Calendar] = new CalendarApiException("503 backendError");

        await Service().SyncAllAsync();

        Assert.Equal($"removing events from {Calendar}: 503 backendError", _store["platform"]!.LastError);
    }

    [Fact]
    public async Task SyncAllAsync_RotationDeletedDeletesFail_ErrorKeptToTryAgain()
    {
        await Service().SyncAllAsync();
        await _rotations.DeleteAsync("platform");
        _google.Always = EventWriteOutcome.Failed;

        await Service().SyncAllAsync();

        Assert.StartsWith($"removing events from {Calendar}: Delete ", _store["platform"]!.LastError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SyncAllAsync_MovedButOldCalendarUnreachable_NewOneWaits()
    {
        await Service().SyncAllAsync();
        _rotations.Seed(OnCalendar("other@cal"));
        _google.ListFailures[Calendar] = new CalendarApiException("503 backendError");

        await Service().SyncAllAsync();

        Assert.Empty(_google.Live("other@cal"));
        Assert.Equal(Calendar, _store["platform"]!.CalendarId);
    }

    [Fact]
    public async Task SyncAllAsync_OneCalendarFails_TheOtherStillSynced()
    {
        _rotations.Seed(Core.Rotations.Rotation.Create(Settings() with { Id = "payments", CalendarId = "pay@cal" }, "hash", Now));
        _google.ListFailures["pay@cal"] = new CalendarApiException("403 forbidden");

        await Service().SyncAllAsync();

        Assert.Equal(("403 forbidden", null), (_store["payments"]!.LastError, _store["platform"]!.LastError));
        Assert.Equal(Wanted().Count, _google.Live(Calendar).Count);
    }

    [Fact]
    public async Task SyncAllAsync_UnexpectedException_RecordedByItsKindOnly()
    {
        _google.ListFailures[Calendar] = new InvalidOperationException("https://secret.example.com/?key=abc");

        await Service().SyncAllAsync();

        Assert.Equal("InvalidOperationException while syncing", _store["platform"]!.LastError);
    }

    [Fact]
    public async Task SyncAllAsync_FeedStateUnwritable_ErrorRecorded()
    {
        _ledger.CommitFailure = new TimeoutException("storage down");

        await Service().SyncAllAsync();

        Assert.Equal("TimeoutException while syncing", _store["platform"]!.LastError);
        Assert.Equal(0, _google.ListCalls);
    }

    [Fact]
    public async Task SyncAllAsync_RateLimitedCalls_RetriedNextRound()
    {
        _google.Scripted.Enqueue((EventWriteOutcome.Retryable, "rateLimitExceeded", null));
        _google.Scripted.Enqueue((EventWriteOutcome.Retryable, "rateLimitExceeded", null));

        await Service().SyncAllAsync();

        Assert.Equal(Wanted().Count, _google.Live(Calendar).Count);
        Assert.Null(_store["platform"]!.LastError);
    }

    [Fact]
    public async Task SyncAllAsync_RetryAfter_WaitsAsAskedBeforeTheNextRound()
    {
        _google.Scripted.Enqueue((EventWriteOutcome.Retryable, "rateLimitExceeded", TimeSpan.FromSeconds(5)));

        var sync = Service().SyncAllAsync();

        // Advance only once the sync waits on the clock: advancing first would start its wait later.
        await _clock.TimerCreated.WaitAsync(TimeSpan.FromSeconds(30), TimeProvider.System);
        _clock.Advance(TimeSpan.FromSeconds(4.9));
        await Task.Yield();
        Assert.False(sync.IsCompleted);

        _clock.Advance(TimeSpan.FromSeconds(0.1));
        await sync.WaitAsync(TimeSpan.FromSeconds(30), TimeProvider.System);

        Assert.Equal(Wanted().Count, _google.Live(Calendar).Count);
    }

    [Fact]
    public async Task SyncAllAsync_StillRateLimitedAfterTheLastRound_ErrorRecorded()
    {
        _google.Always = EventWriteOutcome.Retryable;

        await Service().SyncAllAsync();

        Assert.Contains("still failing after 3 round(s)", _store["platform"]!.LastError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SyncAllAsync_InsertAnsweredAlreadyExists_PatchedInstead()
    {
        _google.Scripted.Enqueue((EventWriteOutcome.AlreadyExists, "409 duplicate", null));

        await Service().SyncAllAsync();

        Assert.Equal(Wanted().Count, _google.Live(Calendar).Count);
        Assert.Null(_store["platform"]!.LastError);
    }

    [Fact]
    public async Task SyncAllAsync_OneCallFails_ErrorNamesIt()
    {
        _google.Scripted.Enqueue((EventWriteOutcome.Failed, "400 invalid", null));

        await Service().SyncAllAsync();

        Assert.Matches("^Insert [0-9a-v]+: 400 invalid$", _store["platform"]!.LastError);
    }

    [Fact]
    public async Task SyncAllAsync_TwoCallsFail_ErrorCountsThem()
    {
        _google.Scripted.Enqueue((EventWriteOutcome.Failed, "400 invalid", null));
        _google.Scripted.Enqueue((EventWriteOutcome.Failed, null, null));

        await Service().SyncAllAsync();

        Assert.StartsWith("2 failures, first: Insert ", _store["platform"]!.LastError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SyncAllAsync_AnotherInstanceRecordsFirst_TheirRecordStands()
    {
        await Service().SyncAllAsync();
        _store.BeforeSave.Enqueue(() => _store.Touch("platform"));

        await Service().SyncAllAsync();

        Assert.Equal(new SyncCounts(Wanted().Count, 0, 0, 0), _store["platform"]!.Counts);
    }

    [Fact]
    public async Task SyncAllAsync_EventsLongPast_Forgotten()
    {
        await Service().SyncAllAsync();
        var first = _store.EventsOf("platform").Keys.ToHashSet();
        _clock.Advance(TimeSpan.FromDays(30));

        await Service().SyncAllAsync();

        var known = _store.EventsOf("platform");
        Assert.DoesNotContain(known.Values, e => e.End < Instant.FromDateTimeOffset(_clock.GetUtcNow()) - CalendarSyncService.Forget);
        Assert.Contains(first, id => !known.ContainsKey(id));
    }

    [Fact]
    public async Task SyncCalendarsJob_SyncsEveryRotation()
    {
        await new SyncCalendarsJob(Service()).RunAsync();

        Assert.Equal(Wanted().Count, _google.Live(Calendar).Count);
    }

    [Fact]
    public async Task GetStatusAsync_AfterARun_ItsCounts()
    {
        await Service().SyncAllAsync();

        var status = await Service().GetStatusAsync("platform");

        Assert.Equal(
            (Calendar, Now, Wanted().Count, (string?)null),
            (status.CalendarId, status.LastSyncAt, status.Counts.Inserted, status.LastError));
    }

    [Fact]
    public async Task GetStatusAsync_NeverRun_Empty()
    {
        var status = await Service().GetStatusAsync("platform");

        Assert.Equal(new CalendarSyncStatus("platform", Calendar, null, SyncCounts.None, 0, null), status);
    }

    [Fact]
    public async Task GetStatusAsync_GoogleNotConfigured_SaysSoBeforeAnyRun()
    {
        _google.IsConfigured = false;

        Assert.Equal(CalendarSyncService.NotConfigured, (await Service().GetStatusAsync("platform")).LastError);
    }

    [Fact]
    public async Task GetStatusAsync_NoCalendar_NoCalendarNoError()
    {
        _rotations.Seed(Rotation());

        Assert.Equal(new CalendarSyncStatus("platform", null, null, SyncCounts.None, 0, null), await Service().GetStatusAsync("platform"));
    }

    [Fact]
    public async Task GetStatusAsync_UnknownRotation_NotFound() =>
        await Assert.ThrowsAsync<NotFoundException>(() => Service().GetStatusAsync("payments"));

    /// <summary>The ids of the shifts the calendar should show now: not cancelled, from a day ago to the horizon.</summary>
    private List<string> Wanted()
    {
        var now = Instant.FromDateTimeOffset(_clock.GetUtcNow());
        var settings = _rotations["platform"].Settings;
        return [.. _ledger.EntriesOf("platform")
            .Where(e => !e.Cancelled && e.Start < settings.HorizonEnd(now) && now - CalendarSyncService.Lookback < e.End)
            .Select(e => e.EventId)];
    }

    private CalendarSyncService Service(CalendarSyncSettings? settings = null) => new(
        _rotations,
        new CalendarStateService(_rotations, _ledger, _clock),
        _google,
        _store,
        settings ?? new CalendarSyncSettings(false, TimeSpan.Zero, TimeSpan.Zero, 2),
        _clock,
        NullLogger<CalendarSyncService>.Instance);

    private static Rotation OnCalendar(string calendarId) =>
        Core.Rotations.Rotation.Create(Settings() with { CalendarId = calendarId }, "hash", Utc("2026-01-01T00:00:00Z"));

    private static EventContent Content(Instant end) =>
        new("On call: somebody", "", end - Duration.FromDays(1), end, "America/New_York", true, []);
}
