namespace OnCall.FunctionsHostFake;

/// <summary>
/// The TimerInfo the host passes to a timer function. The host serializes WebJobs' TimerInfo with Newtonsoft.Json:
/// <c>{"Schedule":{"AdjustForDST":true},"ScheduleStatus":{"Last":...,"Next":...,"LastUpdated":...},"IsPastDue":false}</c>.
/// </summary>
public sealed record TimerDetails
{
    /// <summary>True when the invocation makes up for a missed occurrence.</summary>
    public bool IsPastDue { get; init; }

    /// <summary>The schedule's AdjustForDST: true for CRON schedules, false for TimeSpan ("00:05:00") schedules.</summary>
    public bool AdjustForDst { get; init; } = true;

    /// <summary>
    /// The schedule monitor's status, or null as the host sends it when the binding has <c>useMonitor: false</c>
    /// (the fake host sends null then whatever this says).
    /// </summary>
    public TimerScheduleStatus? ScheduleStatus { get; init; }

    /// <summary>
    /// What the host sends on a timer's first run after a start with nothing stored yet (WebJobs TimerListener):
    /// Last and LastUpdated are <c>default(DateTime).ToLocalTime()</c>, Next is the occurrence being run.
    /// </summary>
    public static TimerDetails FirstRun(DateTime? occurrence = null)
    {
        DateTime next = occurrence ?? TruncateToSecond(DateTime.Now);
        DateTime never = default(DateTime).ToLocalTime();
        return new TimerDetails { ScheduleStatus = new TimerScheduleStatus(never, next, never) };
    }

    private static DateTime TruncateToSecond(DateTime value) => new(value.Ticks - (value.Ticks % TimeSpan.TicksPerSecond), value.Kind);
}

/// <summary>WebJobs' ScheduleStatus: local times, as the TimerListener records them.</summary>
/// <param name="Last">The last recorded occurrence.</param>
/// <param name="Next">The expected next occurrence.</param>
/// <param name="LastUpdated">When the record was last updated.</param>
public sealed record TimerScheduleStatus(DateTime Last, DateTime Next, DateTime LastUpdated);
