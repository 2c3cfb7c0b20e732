using Microsoft.Extensions.Time.Testing;
using NodaTime;
using OnCall.Core.Incidents;
using OnCall.Core.Tests.Fakes;
using static OnCall.Core.Tests.Rotations;

namespace OnCall.Core.Tests.Incidents;

/// <summary>
/// The reminder with incidents and chat in memory. The clock stands at 2026-11-10 12:00Z; the incident was resolved 40
/// minutes before (the reminder waits 30), its Statuspage incident sp1 still showing it investigating.
/// </summary>
public sealed class RemindStatuspageOpenJobTests
{
    private static readonly Instant Now = Utc("2026-11-10T12:00:00Z");

    private readonly FakeTimeProvider _clock = new(Now.ToDateTimeOffset());
    private readonly InMemoryIncidents _incidents = new();
    private readonly ScriptedNotifier _notifier = new();

    private RemindStatuspageOpenJob Job => new(_incidents, _notifier, new IncidentSettings(), _clock);

    [Fact]
    public async Task RunAsync_ResolvedButStatuspageOpen_RemindsTheCommander()
    {
        var id = Seed(Stale());

        await Job.RunAsync();

        var notice = Assert.Single(_notifier.Sent);
        Assert.Equal("Statuspage still shows \"Disk full\" open", notice.Title);
        Assert.StartsWith(
            $"Ada (ada@example.com): incident {id} was resolved at 2026-11-10T11:20:00Z", notice.Lines[0], StringComparison.Ordinal);
        Assert.Equal(new Uri("https://status.example.com/incidents/sp1"), notice.Link?.Url);
        Assert.Equal(Now, _incidents[id].StatuspageReminderAt);
    }

    [Fact]
    public async Task RunAsync_Reminded_TimelineSaysWho()
    {
        var id = Seed(Stale());

        await Job.RunAsync();

        var entry = Assert.Single(_incidents.Timeline(id));
        Assert.Equal((TimelineKind.Reminder, "Reminded Ada: Statuspage still shows the incident open."), (entry.Kind, entry.Message));
    }

    [Fact]
    public async Task RunAsync_Twice_RemindsOnce()
    {
        Seed(Stale());

        await Job.RunAsync();
        await Job.RunAsync();

        Assert.Single(_notifier.Sent);
    }

    [Fact]
    public async Task RunAsync_NoCommander_AddressesTheChannel()
    {
        Seed(Stale() with { Commander = null });

        await Job.RunAsync();

        Assert.StartsWith("Commander: incident", Assert.Single(_notifier.Sent).Lines[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_ResolvedLessThanHalfAnHourAgo_NoReminderYet()
    {
        Seed(Stale() with { ResolvedAt = Now - Duration.FromMinutes(29) });

        await Job.RunAsync();

        Assert.Empty(_notifier.Sent);
    }

    [Fact]
    public async Task RunAsync_StatuspageResolvedToo_NoReminder()
    {
        Seed(Stale() with { Statuspage = new StepState(StepStatus.Resolved, "sp1", null, "resolved") });

        await Job.RunAsync();

        Assert.Empty(_notifier.Sent);
    }

    [Fact]
    public async Task RunAsync_NeverPostedToStatuspage_NoReminder()
    {
        Seed(Stale() with { Statuspage = new StepState(StepStatus.Skipped) });

        await Job.RunAsync();

        Assert.Empty(_notifier.Sent);
    }

    [Fact]
    public async Task RunAsync_AnotherInstanceClaimsFirst_NoSecondReminder()
    {
        var id = Seed(Stale());
        _incidents.BeforeSave.Enqueue(() => _incidents.ChangeBehindTheScenes(id, i => i with { StatuspageReminderAt = Now }));

        await Job.RunAsync();

        Assert.Empty(_notifier.Sent);
    }

    private string Seed(Incident incident)
    {
        _incidents.Seed(incident);
        return incident.Id;
    }

    private static Incident Stale()
    {
        var opened = Now - Duration.FromHours(2);
        return new Incident(IncidentIds.New("alertmanager", "disk-full", opened), "alertmanager", "disk-full", "Disk full", Severity.Major,
            IncidentStatus.Resolved, "platform", "api", null, ["API"], Ada, opened)
        {
            ResolvedAt = Now - Duration.FromMinutes(40),
            Statuspage = new StepState(StepStatus.Updated, "sp1", "https://status.example.com/incidents/sp1", "investigating"),
        };
    }
}
