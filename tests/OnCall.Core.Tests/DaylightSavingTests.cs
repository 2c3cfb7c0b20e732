using static OnCall.Core.Tests.Rotations;

namespace OnCall.Core.Tests;

public sealed class DaylightSavingTests
{
    [Fact]
    public void Expand_DailyHandoffAcrossSpringForward_StaysAtTenLocal()
    {
        // New York springs forward on 2026-03-08: 10:00 is 15:00Z before and 14:00Z after.
        var rotation = Rotation("America/New_York", Layer(length: "P1D", anchor: "2026-03-01"));

        var shifts = Shifts(rotation, "2026-03-07T12:00:00Z", "2026-03-09T12:00:00Z");

        Assert.Equal(
            ["2026-03-06T15:00:00Z", "2026-03-07T15:00:00Z", "2026-03-08T14:00:00Z"],
            shifts.Select(s => s.Start.ToString()));
    }

    [Fact]
    public void Expand_HandoffInSpringForwardGap_MovesToFirstValidInstant()
    {
        // 02:30 does not exist in New York on 2026-03-08; the first valid instant is 03:00 EDT (07:00Z).
        var rotation = Rotation("America/New_York", Layer(length: "P1D", handoff: "02:30", anchor: "2026-03-01"));

        var shift = Assert.Single(Shifts(rotation, "2026-03-08T07:00:00Z", "2026-03-08T07:00:01Z"));

        Assert.Equal(Utc("2026-03-08T07:00:00Z"), shift.Start);
    }

    [Fact]
    public void Expand_HandoffInFallBackOverlap_TakesEarlierInstant()
    {
        // 01:30 happens twice in New York on 2026-11-01: first at 05:30Z (EDT), then at 06:30Z (EST).
        var rotation = Rotation("America/New_York", Layer(length: "P1D", handoff: "01:30", anchor: "2026-10-25"));

        var shift = Assert.Single(Shifts(rotation, "2026-11-01T05:30:00Z", "2026-11-01T05:30:01Z"));

        Assert.Equal(Utc("2026-11-01T05:30:00Z"), shift.Start);
    }

    [Fact]
    public void Expand_LordHoweHalfHourShift_KeepsLocalHandoff()
    {
        // Lord Howe Island moves its clocks by 30 minutes: UTC+10:30 → UTC+11 on 2026-10-04.
        var rotation = Rotation("Australia/Lord_Howe", Layer(length: "P1D", handoff: "09:00", anchor: "2026-10-01"));

        var shifts = Shifts(rotation, "2026-10-03T00:00:00Z", "2026-10-04T21:00:00Z");

        Assert.Equal(
            ["2026-10-02T22:30:00Z", "2026-10-03T22:00:00Z"],
            shifts.Select(s => s.Start.ToString()));
    }

    [Fact]
    public void Expand_LordHoweHandoffInHalfHourGap_MovesToEndOfGap()
    {
        // 02:00–02:30 does not exist on Lord Howe on 2026-10-04; 02:15 becomes 02:30 (+11) = 15:30Z.
        var rotation = Rotation("Australia/Lord_Howe", Layer(length: "P1D", handoff: "02:15", anchor: "2026-10-01"));

        var shift = Assert.Single(Shifts(rotation, "2026-10-03T15:30:00Z", "2026-10-03T15:30:01Z"));

        Assert.Equal(Utc("2026-10-03T15:30:00Z"), shift.Start);
    }

    [Fact]
    public void Expand_WeeklyShiftOverBerlinFallBack_LastsOneHourLonger()
    {
        // Berlin falls back on 2026-10-25; the week containing it is 169 hours long.
        var rotation = Rotation("Europe/Berlin", Layer(length: "P7D", handoff: "09:00", anchor: "2026-10-19"));

        var shift = Assert.Single(Shifts(rotation, "2026-10-25T12:00:00Z", "2026-10-25T12:00:01Z"));

        Assert.Equal(NodaTime.Duration.FromHours(169), shift.End - shift.Start);
    }

    [Fact]
    public void Expand_TwelveHourShiftsAcrossSpringForward_KeepLocalHandoffTimes()
    {
        var rotation = Rotation("America/New_York", Layer(length: "PT12H", handoff: "08:00", anchor: "2026-03-07"));

        var shifts = Shifts(rotation, "2026-03-08T01:00:00Z", "2026-03-09T00:00:00Z");

        // 20:00 EST (01:00Z), 08:00 EDT (12:00Z), 20:00 EDT (00:00Z next day): the night shift is 11 hours.
        Assert.Equal(
            ["2026-03-08T01:00:00Z", "2026-03-08T12:00:00Z"],
            shifts.Select(s => s.Start.ToString()));
        Assert.Equal(NodaTime.Duration.FromHours(11), shifts[0].End - shifts[0].Start);
    }
}
