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
    private static readonly string[] RouteTables = [TableRotationRepository.TableName, TableFeedLedger.TableName, TableHandoffRepository.TableName];

    public async Task<bool> IsHealthyAsync(CancellationToken cancellationToken = default)
    {
        using var timeout = new CancellationTokenSource(Timeout, timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            await Task.WhenAll(
                [
                    .. RouteTables.Select(name => tables.EnsureExistsAsync(name, linked.Token)),
                    queues.GetPropertiesAsync(linked.Token),
                    blobs.GetPropertiesAsync(linked.Token),
                ]);
            return true;
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested
            && exception is Azure.RequestFailedException or OperationCanceledException or AggregateException or StorageUnavailableException)
        {
            return false;
        }
    }
}
