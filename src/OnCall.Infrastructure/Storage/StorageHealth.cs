using Azure.Storage.Blobs;
using Azure.Storage.Queues;

namespace OnCall.Infrastructure.Storage;

/// <summary>
/// Whether storage can serve the routes, for <c>GET /api/health</c>: the tables they use exist (or are created
/// now, after a wipe), and the queue and blob services answer.
/// </summary>
public sealed class StorageHealth(TableProvider tables, QueueServiceClient queues, BlobServiceClient blobs, TimeProvider timeProvider)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(3);
    private static readonly string[] RouteTables = [TableRotationRepository.TableName, TableFeedLedger.TableName, TableHandoffRepository.TableName, TableCalendarSyncStore.TableName, TableIncidentRepository.TableName, TableTimeOffRepository.TableName];

    public async Task<bool> IsHealthyAsync(CancellationToken cancellationToken = default)
    {
        using var timeout = new CancellationTokenSource(Timeout, timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            // Only data-plane calls that the app identity's Data Contributor roles allow: reading service
            // properties is not one, so with a managed identity it would report healthy storage as down.
            await Task.WhenAll(
                [
                    .. RouteTables.Select(name => tables.EnsureExistsAsync(name, linked.Token)),
                    FirstPageAsync(queues.GetQueuesAsync(cancellationToken: linked.Token)),
                    FirstPageAsync(blobs.GetBlobContainersAsync(cancellationToken: linked.Token)),
                ]);
            return true;
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested
            && exception is Azure.RequestFailedException or OperationCanceledException or AggregateException or StorageUnavailableException)
        {
            return false;
        }
    }

    private static async Task FirstPageAsync<T>(Azure.AsyncPageable<T> pageable)
        where T : notnull
    {
        await foreach (var _ in pageable.AsPages(pageSizeHint: 1))
        {
            break;
        }
    }
}
