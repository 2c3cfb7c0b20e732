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
            await tables.GetPropertiesAsync(timeout.Token);
            return true;
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested
            && exception is Azure.RequestFailedException or OperationCanceledException or AggregateException)
        {
            return false;
        }
    }
}
