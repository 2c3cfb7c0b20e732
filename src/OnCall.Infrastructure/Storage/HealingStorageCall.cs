using Azure;

namespace OnCall.Infrastructure.Storage;

/// <summary>
/// The one way a table or queue operation runs: when its table or queue has gone (storage wiped or restarted
/// empty) it is recreated on the spot and the operation runs once more, which is safe because an operation on
/// a missing resource changed nothing; unreachable storage becomes <see cref="StorageUnavailableException"/>.
/// </summary>
internal static class HealingStorageCall
{
    public static async Task<T> RunAsync<TClient, T>(
        string kind,
        Func<Task<TClient>> getClient,
        Func<TClient, Task<T>> operation,
        Func<RequestFailedException, bool> isMissing,
        Func<TClient, Task> recreate,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(operation);
        try
        {
            var client = await getClient();
            try
            {
                return await operation(client);
            }
            catch (RequestFailedException exception) when (isMissing(exception))
            {
                await recreate(client);
                try
                {
                    return await operation(client);
                }
                catch (RequestFailedException again) when (isMissing(again))
                {
                    // Still missing right after creating it (a real account refuses to recreate a table or queue
                    // for a while after deleting it): worth retrying later, not a bug.
                    throw new StorageUnavailableException($"A {kind} is being recreated.", again);
                }
            }
        }
        catch (Exception exception) when (exception is not StorageUnavailableException
            && StorageUnavailableException.IsStorageFault(exception, cancellationToken))
        {
            throw new StorageUnavailableException($"{kind} Storage did not answer ({exception.Message})", exception);
        }
    }
}
