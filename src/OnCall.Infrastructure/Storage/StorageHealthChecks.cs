using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace OnCall.Infrastructure.Storage;

/// <summary>
/// Whether storage can serve the routes, for <c>GET /api/health</c>. Each <c>AddXyz</c> registers the checks for what
/// it owns (its tables; the queue and blob services in <c>AddOnCallStorage</c>), so there is no central list.
/// Only data-plane calls that the app identity's Data Contributor roles allow: reading service properties is not
/// one, so with a managed identity it would report healthy storage as down.
/// </summary>
public static class StorageHealthChecks
{
    /// <summary>The tag every storage check carries.</summary>
    public const string Tag = "storage";

    // Each check gives up well before the storage clients' own ~10 s, so a frozen account answers 503 quickly.
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(3);

    /// <summary>Checks that the table exists, creating it when it does not (after a wipe).</summary>
    public static IServiceCollection AddTableHealthCheck(this IServiceCollection services, string table)
    {
        services.AddHealthChecks().AddTypeActivatedCheck<TableHealthCheck>(
            $"table:{table}",
            failureStatus: null,
            tags: [Tag],
            timeout: Timeout,
            args: table);
        return services;
    }

    /// <summary>Checks that the queue and blob services answer.</summary>
    internal static IServiceCollection AddStorageServiceHealthChecks(this IServiceCollection services)
    {
        services.AddHealthChecks()
            .AddCheck<QueueServiceHealthCheck>("queues", failureStatus: null, tags: [Tag], timeout: Timeout)
            .AddCheck<BlobServiceHealthCheck>("blobs", failureStatus: null, tags: [Tag], timeout: Timeout);
        return services;
    }

    internal static async Task FirstPageAsync<T>(Azure.AsyncPageable<T> pageable)
        where T : notnull
    {
        await foreach (var _ in pageable.AsPages(pageSizeHint: 1))
        {
            break;
        }
    }
}

/// <summary>A table exists or can be made now.</summary>
public sealed class TableHealthCheck(TableProvider tables, string table) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        await tables.EnsureExistsAsync(table, cancellationToken);
        return HealthCheckResult.Healthy();
    }
}

/// <summary>The queue service answers a one-item list.</summary>
public sealed class QueueServiceHealthCheck(QueueServiceClient queues) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        await StorageHealthChecks.FirstPageAsync(queues.GetQueuesAsync(cancellationToken: cancellationToken));
        return HealthCheckResult.Healthy();
    }
}

/// <summary>The blob service answers a one-item list.</summary>
public sealed class BlobServiceHealthCheck(BlobServiceClient blobs) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        await StorageHealthChecks.FirstPageAsync(blobs.GetBlobContainersAsync(cancellationToken: cancellationToken));
        return HealthCheckResult.Healthy();
    }
}
