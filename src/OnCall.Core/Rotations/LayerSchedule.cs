using NodaTime;
using NodaTime.TimeZones;

namespace OnCall.Core.Rotations;

/// <summary>
/// The handoff instants of one layer definition in one zone. Handoff <c>n</c> is at local time
/// <c>FirstHandoff + n × ShiftLength</c> (local arithmetic, so 10:00 stays 10:00 across DST), mapped to an
/// instant: a local time in a DST gap moves forward to the first valid instant after the gap, an ambiguous
/// one takes the earlier instant. Shift <c>n</c> (n ≥ 0) runs from handoff <c>n</c> to handoff <c>n + 1</c>.
/// </summary>
internal sealed class LayerSchedule
{
    /// <summary>Gap → start of the interval after it; overlap → the earlier instant.</summary>
    public static readonly ZoneLocalMappingResolver HandoffResolver =
        Resolvers.CreateMappingResolver(Resolvers.ReturnEarlier, Resolvers.ReturnStartOfIntervalAfter);

    private readonly LocalDateTime _firstHandoff;
    private readonly long _stepHours;
    private readonly long _stepTicks;
    private readonly DateTime _firstHandoffUnspecified;

    public LayerSchedule(LayerDefinition definition, DateTimeZone zone)
    {
        Definition = definition;
        Zone = zone;
        _firstHandoff = definition.FirstHandoff;
        _stepHours = definition.ShiftLengthHours;
        _stepTicks = _stepHours * TimeSpan.TicksPerHour;
        _firstHandoffUnspecified = _firstHandoff.ToDateTimeUnspecified();
    }

    public LayerDefinition Definition { get; }

    public DateTimeZone Zone { get; }

    public Instant Handoff(long n) => _firstHandoff.PlusHours(n * _stepHours).InZone(Zone, HandoffResolver).ToInstant();

    public Member MemberOf(long n)
    {
        var count = Definition.Members.Count;
        return Definition.Members[(int)(((n % count) + count) % count)];
    }

    public bool HasStartedBy(Instant instant) => Handoff(0) <= instant;

    /// <summary>The index of the last handoff at or before <paramref name="instant"/> (may be negative).</summary>
    public long IndexAtOrBefore(Instant instant)
    {
        // Estimate from local wall-clock distance, then correct: DST moves a handoff by at most a few hours.
        var local = instant.InZone(Zone).LocalDateTime.ToDateTimeUnspecified();
        var n = FloorDiv((local - _firstHandoffUnspecified).Ticks, _stepTicks);
        while (Handoff(n) > instant)
        {
            n--;
        }

        while (Handoff(n + 1) <= instant)
        {
            n++;
        }

        return n;
    }

    public Instant NextHandoffAfter(Instant instant) => Handoff(IndexAtOrBefore(instant) + 1);

    private static long FloorDiv(long a, long b) => a >= 0 ? a / b : -((-a + b - 1) / b);
}
