using Microsoft.Azure.Functions.Worker;
using OnCall.Core.Handoffs;
using OnCall.Core.Incidents;
using OnCall.Core.Jobs;
using OnCall.Core.TimeOff;
using OnCall.Functions.Catalogue;

namespace OnCall.Functions.Jobs;

/// <summary>
/// The timer functions. Each schedule is the app setting <c>OnCall__Schedules__{Function}</c> (NCRONTAB, six fields,
/// UTC); standalone, an unset one falls back to <see cref="DefaultScheduleAttribute"/>. Each job is idempotent, so a
/// run the host repeats after a crash does no harm.
/// </summary>
public sealed class TimerFunctions(
    PlanHandoffsJob planHandoffs,
    FlagMissedHandoffsJob flagMissedHandoffs,
    SyncCalendarsJob syncCalendars,
    PruneFeedLedgerJob pruneFeedLedger,
    RemindStatuspageOpenJob remindStatuspageOpen,
    CheckCoverageJob checkCoverage)
{
    [Function(nameof(PlanHandoffs))]
    [DefaultSchedule("0 */5 * * * *")]
    public Task PlanHandoffs([TimerTrigger("%OnCall__Schedules__PlanHandoffs%")] TimerInfo timer, CancellationToken cancellationToken) =>
        Traced.RunAsync(nameof(PlanHandoffs), () => planHandoffs.RunAsync(cancellationToken));

    [Function(nameof(FlagMissedHandoffs))]
    [DefaultSchedule("30 */5 * * * *")]
    public Task FlagMissedHandoffs(
        [TimerTrigger("%OnCall__Schedules__FlagMissedHandoffs%")] TimerInfo timer,
        CancellationToken cancellationToken) =>
        Traced.RunAsync(nameof(FlagMissedHandoffs), () => flagMissedHandoffs.RunAsync(cancellationToken));

    [Function(nameof(SyncCalendars))]
    [DefaultSchedule("0 */5 * * * *")]
    public Task SyncCalendars([TimerTrigger("%OnCall__Schedules__SyncCalendars%")] TimerInfo timer, CancellationToken cancellationToken) =>
        Traced.RunAsync(nameof(SyncCalendars), () => syncCalendars.RunAsync(cancellationToken));

    [Function(nameof(PruneFeedLedger))]
    [DefaultSchedule("0 30 3 * * *")]
    public Task PruneFeedLedger(
        [TimerTrigger("%OnCall__Schedules__PruneFeedLedger%")] TimerInfo timer,
        CancellationToken cancellationToken) =>
        Traced.RunAsync(nameof(PruneFeedLedger), () => pruneFeedLedger.RunAsync(cancellationToken));

    [Function(nameof(RemindStatuspageOpen))]
    [DefaultSchedule("15 */5 * * * *")]
    public Task RemindStatuspageOpen(
        [TimerTrigger("%OnCall__Schedules__RemindStatuspageOpen%")] TimerInfo timer,
        CancellationToken cancellationToken) =>
        Traced.RunAsync(nameof(RemindStatuspageOpen), () => remindStatuspageOpen.RunAsync(cancellationToken));

    [Function(nameof(CheckCoverage))]
    [DefaultSchedule("0 0 6 * * *")]
    public Task CheckCoverage([TimerTrigger("%OnCall__Schedules__CheckCoverage%")] TimerInfo timer, CancellationToken cancellationToken) =>
        Traced.RunAsync(nameof(CheckCoverage), () => checkCoverage.RunAsync(cancellationToken));
}
