using Azure.Core;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OnCall.Core.Feeds;
using OnCall.Core.Jobs;
using OnCall.Core.Ports;
using OnCall.Core.Rotations;
using OnCall.Infrastructure.Feeds;
using OnCall.Infrastructure.Hosting;
using OnCall.Infrastructure.Storage;

namespace OnCall.Infrastructure;

public static class ServiceCollectionExtensions
{
    /// <summary>Table, Queue and Blob Storage from <c>AzureWebJobsStorage</c>, the repositories built on them, and the timer lock.</summary>
    public static IServiceCollection AddOnCallStorage(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<StorageOptions>()
            .Bind(configuration.GetSection("OnCall:Storage"))
            .Configure(o => StorageClients.Configure(o, configuration))
            .ValidateDataAnnotations()
            .ValidateOnStart();

        services.AddSingleton(sp => StorageClients.Tables(
            sp.GetRequiredService<IOptions<StorageOptions>>().Value,
            Configure(new TableClientOptions())));
        services.AddSingleton(sp => StorageClients.Blobs(
            sp.GetRequiredService<IOptions<StorageOptions>>().Value,
            Configure(new BlobClientOptions())));
        // Base64, as the Functions host's queue trigger expects by default, so either host reads what the other wrote.
        services.AddSingleton(sp => StorageClients.Queues(
            sp.GetRequiredService<IOptions<StorageOptions>>().Value,
            Configure(new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 })));
        services.AddSingleton<TableProvider>();
        services.AddSingleton<QueueProvider>();
        services.AddSingleton<IMessageSender, StorageMessageSender>();
        services.AddSingleton<StorageHealth>();
        services.AddSingleton<BlobScheduleLock>();
        services.AddSingleton<IRotationRepository, TableRotationRepository>();
        services.AddSingleton<IFeedLedger, TableFeedLedger>();
        return services;
    }

    /// <summary>Rotations, shifts, overrides and the ICS feed.</summary>
    public static IServiceCollection AddOnCallRotations(this IServiceCollection services)
    {
        services.AddSingleton<RotationService>();
        services.AddSingleton<FeedService>();
        services.AddSingleton<ICalendarFeedWriter, IcalFeedWriter>();
        services.AddSingleton<PruneFeedLedgerJob>();
        return services;
    }

    // Storage calls fail fast enough for a webhook's caller to retry, and back off exponentially.
    private static T Configure<T>(T options)
        where T : ClientOptions
    {
        options.Retry.Mode = RetryMode.Exponential;
        options.Retry.MaxRetries = 3;
        options.Retry.Delay = TimeSpan.FromMilliseconds(200);
        options.Retry.MaxDelay = TimeSpan.FromSeconds(5);
        options.Retry.NetworkTimeout = TimeSpan.FromSeconds(10);
        return options;
    }
}
