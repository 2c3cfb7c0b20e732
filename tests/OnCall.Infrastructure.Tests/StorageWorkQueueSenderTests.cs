using System.Text;
using Microsoft.Extensions.DependencyInjection;
using OnCall.Core.Jobs;
using OnCall.Infrastructure.Storage;
using OnCall.TestSupport;

namespace OnCall.Infrastructure.Tests;

[Collection(StorageTests.Collection)]
public sealed class StorageWorkQueueSenderTests(AzuriteFixture azurite) : IDisposable
{
    private readonly ServiceProvider _services = StorageServices.Create(azurite);

    private sealed record Work(int Id);

    [Fact]
    public async Task EnqueueAsync_Message_IsBase64JsonAsTheFunctionsHostReadsIt()
    {
        await _services.GetRequiredService<IWorkQueueSender>().EnqueueAsync(new WorkQueueName<Work>("work"), new Work(1));

        // A plain client, without our encoding, sees what the Functions host's queue trigger would decode.
        var queue = new Azure.Storage.Queues.QueueClient(azurite.ConnectionString, _services.GetRequiredService<QueueProvider>().StorageName("work"));
        var raw = (await queue.ReceiveMessageAsync()).Value.Body.ToString();
        Assert.Equal("""{"id":1}""", Encoding.UTF8.GetString(Convert.FromBase64String(raw)));
    }

    [Fact]
    public async Task EnqueueAsync_WithDelay_StaysHiddenUntilThen()
    {
        await _services.GetRequiredService<IWorkQueueSender>().EnqueueAsync(new WorkQueueName<Work>("later"), new Work(2), TimeSpan.FromMinutes(5));

        var queue = await _services.GetRequiredService<QueueProvider>().GetAsync("later");
        Assert.Null((await queue.ReceiveMessageAsync()).Value);
    }

    public void Dispose() => _services.Dispose();
}
