using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OnCall.Infrastructure;

namespace OnCall.TestSupport;

/// <summary>The storage adapters as the app wires them, against the test's Azurite and its own tables.</summary>
public static class StorageServices
{
    public static ServiceProvider Create(AzuriteFixture azurite, string? prefix = null, string? connectionString = null)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["AzureWebJobsStorage"] = connectionString ?? azurite.ConnectionString,
                ["OnCall:Storage:Prefix"] = prefix ?? AzuriteFixture.NewPrefix(),
            })
            .Build();
        return new ServiceCollection()
            .AddLogging()
            .AddSingleton(TimeProvider.System)
            .AddOnCallStorage(configuration)
            .AddOnCallRotations(configuration)
            .AddOnCallCalendarFeeds(configuration)
            .BuildServiceProvider();
    }
}
