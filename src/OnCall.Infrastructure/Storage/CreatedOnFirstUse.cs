using System.Collections.Concurrent;

namespace OnCall.Infrastructure.Storage;

/// <summary>
/// Storage resources (tables, queues) created once each, on first use rather than at start-up; a failed
/// creation (storage still starting) is tried again by the next caller.
/// </summary>
internal sealed class CreatedOnFirstUse<T>
{
    private readonly ConcurrentDictionary<string, Lazy<Task<T>>> _created = new(StringComparer.Ordinal);

    public async Task<T> GetAsync(string name, Func<string, Task<T>> create)
    {
        var lazy = _created.GetOrAdd(name, n => new Lazy<Task<T>>(() => create(n)));
        try
        {
            return await lazy.Value;
        }
        catch
        {
            _created.TryRemove(new KeyValuePair<string, Lazy<Task<T>>>(name, lazy));
            throw;
        }
    }
}
