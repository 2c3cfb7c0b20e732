using System.Collections.Concurrent;

namespace OnCall.Infrastructure.Storage;

/// <summary>
/// Storage resources (tables, queues) created once each, on first use rather than at start-up; a failed
/// creation (storage still starting) is tried again by the next caller. A resource deleted underneath us is
/// not noticed here: the providers' <c>RunAsync</c> recreates it when an operation finds it missing.
/// </summary>
internal sealed class CreatedOnFirstUse<T>(Func<string, CancellationToken, Task<T>> create)
{
    private readonly ConcurrentDictionary<string, Lazy<Task<T>>> _created = new(StringComparer.Ordinal);

    public async Task<T> GetAsync(string name, CancellationToken cancellationToken = default)
    {
        // The creation is shared by every caller waiting for it, so it runs under no caller's token: one caller
        // giving up stops only its own wait. The storage clients' retry options bound how long it can take.
        var lazy = _created.GetOrAdd(name, n => new Lazy<Task<T>>(() => create(n, CancellationToken.None)));
        try
        {
            return await lazy.Value.WaitAsync(cancellationToken);
        }
        catch when (lazy.Value.IsFaulted || lazy.Value.IsCanceled)
        {
            _created.TryRemove(new KeyValuePair<string, Lazy<Task<T>>>(name, lazy));
            throw;
        }
    }
}
