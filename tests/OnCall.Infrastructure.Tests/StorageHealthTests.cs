using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using OnCall.TestSupport;

namespace OnCall.Infrastructure.Tests;

[Collection(StorageTests.Collection)]
public sealed class StorageHealthTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task CheckHealthAsync_AzuriteUp_ReportsHealthy()
    {
        using var services = StorageServices.Create(azurite);

        Assert.Equal(HealthStatus.Healthy, (await services.GetRequiredService<HealthCheckService>().CheckHealthAsync()).Status);
    }

    [Fact]
    public async Task CheckHealthAsync_NothingListening_ReportsUnhealthy()
    {
        var closed = FreePort.Next();
        using var services = StorageServices.Create(azurite, connectionString: AzuriteFixture.ConnectionStringAt(closed, closed, closed));

        Assert.Equal(HealthStatus.Unhealthy, (await services.GetRequiredService<HealthCheckService>().CheckHealthAsync()).Status);
    }
}
