using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OnCall.Infrastructure.Storage;
using OnCall.TestSupport;

namespace OnCall.Infrastructure.Tests;

/// <summary>
/// Which storage the app talks to, from AzureWebJobsStorage as the Functions host reads it. The clients are built
/// through AddOnCallStorage, as the app builds them; nothing here calls Azure or asks for a token.
/// </summary>
public sealed class StorageClientsTests
{
    [Fact]
    public void Clients_AzuriteConnectionString_PointAtTheEmulator()
    {
        using var services = Build(new() { ["AzureWebJobsStorage"] = "UseDevelopmentStorage=true" });

        Assert.Equal(
            ("http://127.0.0.1:10000/devstoreaccount1", "http://127.0.0.1:10001/devstoreaccount1", "http://127.0.0.1:10002/devstoreaccount1"),
            Endpoints(services));
    }

    [Fact]
    public void Clients_ConnectionStringWithEndpoints_UseThem()
    {
        using var services = Build(new() { ["AzureWebJobsStorage"] = AzuriteFixture.ConnectionStringAt(41000, 41001, 41002) });

        Assert.Equal(
            ("http://127.0.0.1:41000/devstoreaccount1", "http://127.0.0.1:41001/devstoreaccount1", "http://127.0.0.1:41002/devstoreaccount1"),
            Endpoints(services));
    }

    [Fact]
    public void Clients_AccountName_PointAtPublicAzureEndpoints()
    {
        // The app-setting form; .NET configuration reads AzureWebJobsStorage__accountName as AzureWebJobsStorage:accountName.
        using var services = Build(new() { ["AzureWebJobsStorage:accountName"] = "stoncalldev" });

        Assert.Equal(
            ("https://stoncalldev.blob.core.windows.net/", "https://stoncalldev.queue.core.windows.net/", "https://stoncalldev.table.core.windows.net/"),
            Endpoints(services));
    }

    [Fact]
    public void Clients_ServiceUris_UseThemForAnyCloud()
    {
        using var services = Build(new()
        {
            ["AzureWebJobsStorage:blobServiceUri"] = "https://stoncall.blob.core.chinacloudapi.cn/",
            ["AzureWebJobsStorage:queueServiceUri"] = "https://stoncall.queue.core.chinacloudapi.cn/",
            ["AzureWebJobsStorage:tableServiceUri"] = "https://stoncall.table.core.chinacloudapi.cn/",
            ["AzureWebJobsStorage:credential"] = "managedidentity",
        });

        Assert.Equal(
            ("https://stoncall.blob.core.chinacloudapi.cn/", "https://stoncall.queue.core.chinacloudapi.cn/", "https://stoncall.table.core.chinacloudapi.cn/"),
            Endpoints(services));
    }

    [Fact]
    public void Clients_ServiceUriAndAccountName_ServiceUriWinsForItsService()
    {
        using var services = Build(new()
        {
            ["AzureWebJobsStorage:accountName"] = "stoncalldev",
            ["AzureWebJobsStorage:tableServiceUri"] = "https://tables.example.com/",
        });

        Assert.Equal(
            ("https://stoncalldev.blob.core.windows.net/", "https://stoncalldev.queue.core.windows.net/", "https://tables.example.com/"),
            Endpoints(services));
    }

    [Fact]
    public void Clients_ConnectionStringAndAccountName_ConnectionStringWins()
    {
        // As under the Functions host: a value for AzureWebJobsStorage itself is a connection string and is used as such.
        using var services = Build(new()
        {
            ["AzureWebJobsStorage"] = "UseDevelopmentStorage=true",
            ["AzureWebJobsStorage:accountName"] = "stoncalldev",
        });

        Assert.Equal("http://127.0.0.1:10002/devstoreaccount1", Endpoints(services).Table);
    }

    [Fact]
    public void Options_NoConnectionAtAll_FailWithWhatToSet()
    {
        using var services = Build([]);

        var failure = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<StorageOptions>>().Value);

        Assert.Contains("AzureWebJobsStorage__accountName", failure.Message, StringComparison.Ordinal);
        Assert.Contains("UseDevelopmentStorage=true", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Options_SomeServiceUrisOnly_NameTheMissingOnes()
    {
        using var services = Build(new()
        {
            ["AzureWebJobsStorage:blobServiceUri"] = "https://stoncall.blob.core.windows.net/",
            ["AzureWebJobsStorage:queueServiceUri"] = "https://stoncall.queue.core.windows.net/",
        });

        var failure = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<StorageOptions>>().Value);

        Assert.Contains("AzureWebJobsStorage__tableServiceUri", failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("AzureWebJobsStorage__blobServiceUri", failure.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://stoncall.table.core.windows.net/")]
    [InlineData("stoncall.table.core.windows.net")]
    public void Options_ServiceUriNotAbsoluteHttps_Fail(string tableServiceUri)
    {
        using var services = Build(new()
        {
            ["AzureWebJobsStorage:accountName"] = "stoncall",
            ["AzureWebJobsStorage:tableServiceUri"] = tableServiceUri,
        });

        var failure = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<StorageOptions>>().Value);

        Assert.Contains("AzureWebJobsStorage__tableServiceUri", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Options_AccountNameNotAStorageAccountName_Fail()
    {
        using var services = Build(new() { ["AzureWebJobsStorage:accountName"] = "St-OnCall" });

        var failure = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<StorageOptions>>().Value);

        Assert.Contains("AzureWebJobsStorage__accountName 'St-OnCall'", failure.Message, StringComparison.Ordinal);
    }

    private static ServiceProvider Build(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        return new ServiceCollection().AddLogging().AddSingleton(TimeProvider.System).AddOnCallStorage(configuration).BuildServiceProvider();
    }

    private static (string Blob, string Queue, string Table) Endpoints(ServiceProvider services) => (
        services.GetRequiredService<BlobServiceClient>().Uri.AbsoluteUri,
        services.GetRequiredService<QueueServiceClient>().Uri.AbsoluteUri,
        services.GetRequiredService<TableServiceClient>().Uri.AbsoluteUri);
}
