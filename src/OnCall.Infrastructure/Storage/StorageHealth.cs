using Azure.Data.Tables;

namespace OnCall.Infrastructure.Storage;

/// <summary>Whether the storage account answers, for <c>GET /api/health</c>.</summary>
public sealed class StorageHealth(TableServiceClient tables)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(3);

    public async Task<bool> IsHealthyAsync(CancellationToken cancellationToken = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        try
        {
            // Listing one table is a data-plane read that Storage Table Data Contributor allows; reading the service
            // properties is not, so with a managed identity it would report healthy storage as down.
            await foreach (var _ in tables.QueryAsync(maxPerPage: 1, cancellationToken: timeout.Token).AsPages())
            {
                break;
            }

            return true;
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested
            && exception is Azure.RequestFailedException or OperationCanceledException or AggregateException)
        {
            return false;
        }
    }
}
