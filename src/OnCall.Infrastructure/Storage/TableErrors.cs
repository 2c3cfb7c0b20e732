using Azure;
using Azure.Data.Tables;
using OnCall.Core.Errors;

namespace OnCall.Infrastructure.Storage;

internal static class TableErrors
{
    /// <summary>409 (already exists) and 412 (ETag moved) both mean someone else wrote first.</summary>
    public static bool IsConflict(RequestFailedException exception) => exception.Status is 409 or 412;

    public static async Task WriteOrConflictAsync(Func<Task> write, string resource, string id)
    {
        try
        {
            await write();
        }
        catch (TableTransactionFailedException exception) when (IsConflict(exception))
        {
            throw new ConcurrencyException(resource, id);
        }
        catch (RequestFailedException exception) when (IsConflict(exception))
        {
            throw new ConcurrencyException(resource, id);
        }
    }
}
