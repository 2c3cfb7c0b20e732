using Microsoft.Extensions.Logging.Abstractions;
using NodaTime;
using OnCall.Core.Errors;
using OnCall.Core.Tests.Coverage;
using OnCall.Core.Tests.Fakes;
using OnCall.Core.TimeOff;
using static OnCall.Core.Tests.Rotations;

namespace OnCall.Core.Tests.Services;

/// <summary>Time off and coverage with every port in memory; the clock at 2026-11-10 12:00Z; Rotations.Rotation() stored.</summary>
public sealed class TimeOffServiceTests
{
    private static readonly Instant Now = Utc("2026-11-10T12:00:00Z");

    private readonly RotationWorld _world = new(Now);
    private readonly InMemoryTimeOff _timeOff = new();
    private readonly InMemoryCoverageNotices _notices = new();

    public TimeOffServiceTests() => _world.Rotations.Seed(Rotation());

    private TimeOffService Service => new(
        _world.Service,
        _timeOff,
        _notices,
        new CoverageCheckRequests(_world.Queue, NullLogger<CoverageCheckRequests>.Instance),
        _world.Clock);

    [Fact]
    public async Task AddAsync_Member_StoredAsTheRotationSpellsThemAndACheckQueued()
    {
        var entry = await Service.AddAsync("platform", Spec("ADA@example.com"));

        Assert.Equal(("ada@example.com", Now), (entry.Member, entry.CreatedAt));
        Assert.Equal([entry], await Service.ListAsync("platform"));
        Assert.Equal([new CoverageCheck("platform")], _world.CoverageChecks);
    }

    [Fact]
    public async Task AddAsync_NotAMember_ValidationFailed()
    {
        var error = await Assert.ThrowsAsync<ValidationFailedException>(() => Service.AddAsync("platform", Spec(Sam.Email)));

        Assert.Equal("member", error.Field);
        Assert.Empty(_timeOff.Entries);
    }

    [Fact]
    public async Task AddAsync_EndBeforeStart_ValidationFailed() =>
        await Assert.ThrowsAsync<ValidationFailedException>(
            () => Service.AddAsync("platform", Spec(Ada.Email) with { End = Utc("2026-11-19T00:00:00Z") }));

    [Fact]
    public async Task AddAsync_LongerThanAYear_ValidationFailed() =>
        await Assert.ThrowsAsync<ValidationFailedException>(
            () => Service.AddAsync("platform", Spec(Ada.Email) with { End = Utc("2027-12-01T00:00:00Z") }));

    [Fact]
    public async Task AddAsync_UnknownRotation_NotFound() =>
        await Assert.ThrowsAsync<NotFoundException>(() => Service.AddAsync("payments", Spec(Ada.Email)));

    [Fact]
    public async Task RemoveAsync_Existing_RemovedAndACheckQueued()
    {
        var entry = await Service.AddAsync("platform", Spec(Ada.Email));

        await Service.RemoveAsync("platform", entry.Id);

        Assert.Empty(_timeOff.Entries);
        Assert.Equal(2, _world.CoverageChecks.Count);
    }

    [Fact]
    public async Task RemoveAsync_Unknown_NotFound() =>
        await Assert.ThrowsAsync<NotFoundException>(() => Service.RemoveAsync("platform", "t0"));

    [Fact]
    public async Task DeleteAllAsync_TimeOffAndNoticesGone()
    {
        await Service.AddAsync("platform", Spec(Ada.Email));
        var gap = Notices.Gap("2026-11-20T00:00:00Z", "2026-11-21T00:00:00Z");
        await _notices.AddIfAbsentAsync(Notices.Known(gap, "2026-11-10T00:00:00Z", "2026-11-24T00:00:00Z").Notice);

        await Service.DeleteAllAsync("platform");

        Assert.Equal((0, 0), (_timeOff.Entries.Count, _notices.All.Count));
    }

    [Fact]
    public async Task CoverageGetAsync_AwayDuringAShift_ConflictForTheOverlap()
    {
        await Service.AddAsync("platform", Spec(Ada.Email));

        var problems = await new CoverageService(_world.Service, _timeOff).GetAsync("platform", Now);

        var conflict = Assert.Single(problems);
        Assert.Equal(
            (CoverageProblemKind.Conflict, "ada@example.com", Utc("2026-11-20T00:00:00Z")),
            (conflict.Kind, conflict.Member, conflict.Start));
    }

    [Fact]
    public async Task CoverageGetAsync_NobodyAway_NoProblems() =>
        Assert.Empty(await new CoverageService(_world.Service, _timeOff).GetAsync("platform", Now, Now + Duration.FromDays(7)));

    [Fact]
    public async Task CoverageGetAsync_UnknownRotation_NotFound() =>
        await Assert.ThrowsAsync<NotFoundException>(() => new CoverageService(_world.Service, _timeOff).GetAsync("payments", Now));

    private static TimeOffSpec Spec(string member) => new(member, Utc("2026-11-20T00:00:00Z"), Utc("2026-11-21T00:00:00Z"), "wedding");
}
