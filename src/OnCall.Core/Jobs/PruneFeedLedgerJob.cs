using NodaTime;
using OnCall.Core.Feeds;
using OnCall.Core.Ports;
using OnCall.Core.Time;

namespace OnCall.Core.Jobs;

/// <summary>Forgets feed entries that have left every feed's window, so the ledger does not grow without end.</summary>
public sealed class PruneFeedLedgerJob(IFeedLedger ledger, TimeProvider timeProvider) : ITimerJob
{
    public async Task RunAsync(CancellationToken cancellationToken = default)
    {
        // A day beyond the lookback, so an entry never leaves the ledger while a feed may still show it.
        await ledger.PruneAsync(timeProvider.GetCurrentInstant() - FeedService.Lookback - Duration.FromDays(1), cancellationToken);
    }
}
