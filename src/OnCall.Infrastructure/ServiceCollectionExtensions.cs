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
using OnCall.Core.TimeOff;
using OnCall.Infrastructure.Feeds;
using OnCall.Infrastructure.Hosting;
using OnCall.Infrastructure.Storage;

namespace OnCall.Infrastructure;

/// <summary>One <c>AddXyz</c> per concern; each feature registers its use cases, adapters and jobs together.</summary>
public static class ServiceCollectionExtensions
{
    /// <summary>
    /// Table, Queue and Blob Storage from <c>AzureWebJobsStorage</c>, the work-queue sender, the queue and blob
    /// services' health checks and the timer lock.
    /// </summary>
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
        services.AddSingleton<IWorkQueueSender, StorageWorkQueueSender>();
        services.AddStorageServiceHealthChecks();
        services.AddSingleton<BlobScheduleLock>();
        return services;
    }

    /// <summary>
    /// Rotations, overrides, shifts and who is on call, and the coverage check each write queues. Needs
    /// <see cref="AddOnCallStorage"/>.
    /// </summary>
    public static IServiceCollection AddOnCallRotations(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<IRotationRepository, TableRotationRepository>();
        services.AddTableHealthCheck(TableRotationRepository.TableName);
        services.AddSingleton<CoverageCheckRequests>();
        services.AddSingleton<CalendarStateService>();
        services.AddSingleton<RecentRotations>();
        services.AddSingleton<RotationService>();
        return services;
    }

    /// <summary>
    /// The ICS subscription feed, its ledger, and the timer that prunes the ledger. Needs
    /// <see cref="AddOnCallRotations"/>.
    /// </summary>
    public static IServiceCollection AddOnCallCalendarFeeds(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<IFeedLedger, TableFeedLedger>();
        services.AddTableHealthCheck(TableFeedLedger.TableName);
        services.AddSingleton<ICalendarFeedWriter, IcalFeedWriter>();
        services.AddSingleton<FeedService>();
        services.AddSingleton<PruneFeedLedgerJob>();
        return services;
    }

    // Every storage operation gives up within ~10 s, so a frozen or unreachable account answers callers a 503
    // they can retry instead of hanging: 3 tries × 3 s network timeout + 0.2 s and 0.4 s back-off ≈ 9.6 s
    // (with the SDK's jitter, under 10 s). Azurite and a healthy account answer in milliseconds.
    private static T Configure<T>(T options)
        where T : ClientOptions
    {
        options.Retry.Mode = RetryMode.Exponential;
        options.Retry.MaxRetries = 2;
        options.Retry.Delay = TimeSpan.FromMilliseconds(200);
        options.Retry.MaxDelay = TimeSpan.FromMilliseconds(400);
        options.Retry.NetworkTimeout = TimeSpan.FromSeconds(3);
        return options;
    }
}
