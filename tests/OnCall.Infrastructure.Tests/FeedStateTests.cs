using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using OnCall.Core.Feeds;
using OnCall.Core.Ports;
using OnCall.TestSupport;

namespace OnCall.Infrastructure.Tests;

/// <summary>The version row beside a rotation's feed ledger entries.</summary>
[Collection(StorageTests.Collection)]
public sealed class FeedStateTests(AzuriteFixture azurite) : IDisposable
{
    private readonly ServiceProvider _services = StorageServices.Create(azurite);

    private IFeedLedger Ledger => _services.GetRequiredService<IFeedLedger>();

    [Fact]
    public async Task GetStateAsync_AfterCommit_RoundTrips()
    {
        var state = new CalendarStateVersion("abc123", Samples.Now - Duration.FromDays(15), Samples.Now + Duration.FromDays(56), Samples.Now);

        await Ledger.CommitAsync(await Ledger.LoadAsync("platform"), [], state);

        Assert.Equal(state, await Ledger.GetStateAsync("platform"));
        Assert.Equal(state, (await Ledger.LoadAsync("platform")).State);
    }

    [Fact]
    public async Task GetStateAsync_NeverSet_IsNull() =>
        Assert.Null(await Ledger.GetStateAsync("platform"));

    [Fact]
    public async Task LoadAsync_WithState_ReturnsOnlyEntriesAndPruneLeavesTheState()
    {
        var state = new CalendarStateVersion("abc123", Samples.Now, Samples.Now + Duration.FromDays(1), Samples.Now);
        await Ledger.CommitAsync(await Ledger.LoadAsync("platform"), [], state);

        Assert.Empty((await Ledger.LoadAsync("platform")).Entries);
        await Ledger.PruneAsync(Samples.Now + Duration.FromDays(365));
        Assert.Equal(state, await Ledger.GetStateAsync("platform"));
    }

    [Fact]
    public async Task DeleteAsync_RemovesTheState()
    {
        await Ledger.CommitAsync(await Ledger.LoadAsync("platform"), [], new CalendarStateVersion("v", Samples.Now, Samples.Now, Samples.Now));

        await Ledger.DeleteAsync("platform");

        Assert.Null(await Ledger.GetStateAsync("platform"));
    }

    public void Dispose() => _services.Dispose();
}
