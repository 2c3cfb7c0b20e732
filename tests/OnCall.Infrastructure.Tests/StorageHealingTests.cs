using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using OnCall.Core.Jobs;
using OnCall.Core.Ports;
using OnCall.Infrastructure.Storage;
using OnCall.TestSupport;

namespace OnCall.Infrastructure.Tests;

/// <summary>Tables and queues deleted underneath the app (a wiped account) are recreated by the next operation.</summary>
[Collection(StorageTests.Collection)]
public sealed class StorageHealingTests(AzuriteFixture azurite) : IDisposable
{
    private readonly ServiceProvider _services = StorageServices.Create(azurite);

    private TableProvider Tables => _services.GetRequiredService<TableProvider>();

    [Fact]
    public async Task RunAsync_TableDeletedUnderneath_RecreatesItAndWrites()
    {
        var table = await Tables.GetAsync("Things");
        await table.DeleteAsync();

        await Tables.RunAsync("Things", t => t.AddEntityAsync(new TableEntity("p", "r")));

        Assert.True((await table.GetEntityIfExistsAsync<TableEntity>("p", "r")).HasValue);
    }

    [Fact]
    public async Task RunAsync_TableDeletedUnderneath_RecreatesItForATransaction()
    {
        var table = await Tables.GetAsync("Things");
        await table.DeleteAsync();

        await Tables.RunAsync("Things", t => t.SubmitTransactionAsync([new TableTransactionAction(TableTransactionActionType.Add, new TableEntity("p", "r"))]));

        Assert.True((await table.GetEntityIfExistsAsync<TableEntity>("p", "r")).HasValue);
    }

    [Fact]
    public async Task FindAsync_RotationsTableDeletedUnderneath_ReturnsNull()
    {
        await (await Tables.GetAsync(TableRotationRepository.TableName)).DeleteAsync();

        Assert.Null(await _services.GetRequiredService<IRotationRepository>().FindAsync("platform"));
    }

    [Fact]
    public async Task EnqueueAsync_QueueDeletedUnderneath_RecreatesItAndSends()
    {
        var queue = await _services.GetRequiredService<QueueProvider>().GetAsync("work");
        await queue.DeleteAsync();

        await _services.GetRequiredService<IWorkQueueSender>().EnqueueAsync(Work, "x");

        Assert.NotNull((await queue.ReceiveMessageAsync()).Value);
    }

    [Fact]
    public async Task CheckHealthAsync_RouteTableDeletedUnderneath_RecreatesIt()
    {
        var table = await Tables.GetAsync(TableFeedLedger.TableName);
        await table.DeleteAsync();

        Assert.Equal(HealthStatus.Healthy, (await _services.GetRequiredService<HealthCheckService>().CheckHealthAsync()).Status);
        await table.AddEntityAsync(new TableEntity("p", "r"));
    }

    [Fact]
    public async Task RunAsync_NothingListening_ThrowsStorageUnavailable()
    {
        var closed = FreePort.Next();
        using var services = StorageServices.Create(azurite, connectionString: AzuriteFixture.ConnectionStringAt(closed, closed, closed));

        await Assert.ThrowsAsync<StorageUnavailableException>(
            () => services.GetRequiredService<TableProvider>().RunAsync("Things", t => t.AddEntityAsync(new TableEntity("p", "r"))));
    }

    [Fact]
    public async Task SendAsync_NothingListening_ThrowsStorageUnavailable()
    {
        var closed = FreePort.Next();
        using var services = StorageServices.Create(azurite, connectionString: AzuriteFixture.ConnectionStringAt(closed, closed, closed));

        await Assert.ThrowsAsync<StorageUnavailableException>(() => services.GetRequiredService<IWorkQueueSender>().EnqueueAsync(Work, "x"));
    }

    private static readonly WorkQueueName<string> Work = new("work");

    public void Dispose() => _services.Dispose();
}
