using Microsoft.Extensions.DependencyInjection;
using OnCall.Infrastructure.Storage;
using OnCall.TestSupport;

namespace OnCall.Infrastructure.Tests;

[Collection(StorageTests.Collection)]
public sealed class StorageHealthTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task IsHealthyAsync_AzuriteUp_ReturnsTrue()
    {
        using var services = StorageServices.Create(azurite);

        Assert.True(await services.GetRequiredService<StorageHealth>().IsHealthyAsync());
    }

    [Fact]
    public async Task IsHealthyAsync_NothingListening_ReturnsFalse()
    {
        var closed = FreePort.Next();
        using var services = StorageServices.Create(azurite, connectionString: AzuriteFixture.ConnectionStringAt(closed, closed, closed));

        Assert.False(await services.GetRequiredService<StorageHealth>().IsHealthyAsync());
    }
}
