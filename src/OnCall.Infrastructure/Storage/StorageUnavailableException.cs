using Azure;

namespace OnCall.Infrastructure.Storage;

/// <summary>
/// The storage account could not be reached or did not answer in time (refused, timed out, 5xx, or a table,
/// queue or container still missing after recreating it). The caller may retry shortly: the HTTP edge answers
/// 503 with <c>Retry-After</c>.
/// </summary>
public sealed class StorageUnavailableException : Exception
{
    public StorageUnavailableException()
        : this("The storage account did not answer.")
    {
    }

    public StorageUnavailableException(string message)
        : base(message)
    {
    }

    public StorageUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>
    /// Whether <paramref name="exception"/> means storage is unreachable rather than a bug or a refused request:
    /// this type, a <see cref="RequestFailedException"/> with status 0 (no answer) or 5xx, a timeout (a
    /// cancellation that <paramref name="cancellationToken"/>, the caller's own, did not ask for), or an
    /// <see cref="AggregateException"/> (the SDK's retries) made only of those.
    /// </summary>
    public static bool IsStorageFault(Exception exception, CancellationToken cancellationToken = default) => exception switch
    {
        StorageUnavailableException => true,
        RequestFailedException e => e.Status is 0 or >= 500,
        OperationCanceledException => !cancellationToken.IsCancellationRequested,
        AggregateException e => e.InnerExceptions.Count > 0 && e.InnerExceptions.All(inner => IsStorageFault(inner, cancellationToken)),
        _ => false,
    };
}
