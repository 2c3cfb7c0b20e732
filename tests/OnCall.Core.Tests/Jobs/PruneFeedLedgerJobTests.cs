using Microsoft.Extensions.Time.Testing;
using NodaTime;
using OnCall.Core.Feeds;
using OnCall.Core.Jobs;
using OnCall.Core.Tests.Fakes;
using static OnCall.Core.Tests.Rotations;

namespace OnCall.Core.Tests.Jobs;

public sealed class PruneFeedLedgerJobTests
{
    [Fact]
    public async Task RunAsync_PrunesWhatEndedADayBeforeTheLookback()
    {
        var now = Utc("2026-11-10T12:00:00Z");
        var ledger = new InMemoryFeedLedger();

        await new PruneFeedLedgerJob(ledger, new FakeTimeProvider(now.ToDateTimeOffset())).RunAsync();

        Assert.Equal([now - FeedService.Lookback - Duration.FromDays(1)], ledger.Prunes);
    }
}
