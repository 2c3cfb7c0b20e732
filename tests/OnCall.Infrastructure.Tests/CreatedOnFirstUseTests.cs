using Azure.Data.Tables;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OnCall.Infrastructure.Storage;
using OnCall.TestSupport;

namespace OnCall.Infrastructure.Tests;

/// <summary>Creating a table on first use is shared by everyone waiting, and no one waiter can cancel it.</summary>
public sealed class CreatedOnFirstUseTests : IAsyncLifetime
{
    private AzuriteProcess _azurite = null!;

    public async Task InitializeAsync() => _azurite = await AzuriteProcess.StartAsync();

    public async Task DisposeAsync() => await _azurite.DisposeAsync();

    [Fact]
    public async Task GetAsync_FirstCallerGivesUp_OtherWaiterStillGetsTheTable()
    {
        using var services = Services();
        var tables = services.GetRequiredService<TableProvider>();
        await _azurite.FreezeAsync();
        using var givesUp = new CancellationTokenSource();

        var first = tables.GetAsync("Things", givesUp.Token);
        var second = tables.GetAsync("Things");
        await givesUp.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first);
        await _azurite.ThawAsync();

        var table = await second;
        await table.AddEntityAsync(new TableEntity("p", "r"));
    }

    [Fact]
    public async Task GetAsync_CreationFailed_NextCallerCreates()
    {
        using var services = Services();
        var tables = services.GetRequiredService<TableProvider>();
        await _azurite.StopAsync();
        await Assert.ThrowsAnyAsync<Exception>(() => tables.GetAsync("Things"));
        await _azurite.RestartEmptyAsync();

        var table = await tables.GetAsync("Things");

        await table.AddEntityAsync(new TableEntity("p", "r"));
    }

    private ServiceProvider Services() => new ServiceCollection()
        .AddLogging()
        .AddSingleton(TimeProvider.System)
        .AddOnCallStorage(new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["AzureWebJobsStorage"] = _azurite.ConnectionString,
                ["OnCall:Storage:Prefix"] = AzuriteFixture.NewPrefix(),
            })
            .Build())
        .BuildServiceProvider();
}
