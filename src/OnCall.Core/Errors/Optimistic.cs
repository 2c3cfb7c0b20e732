namespace OnCall.Core.Errors;

/// <summary>Optimistic concurrency: read, decide, write with the version read; redo when someone wrote in between.</summary>
public static class Optimistic
{
    public const int Attempts = 3;

    public static Task<T> RetryAsync<T>(Func<Task<T>> attempt) => RetryAsync(attempt, Attempts);

    /// <summary>Up to <paramref name="attempts"/> tries; the last one's <see cref="ConcurrencyException"/> reaches the caller.</summary>
    public static async Task<T> RetryAsync<T>(Func<Task<T>> attempt, int attempts)
    {
        ArgumentNullException.ThrowIfNull(attempt);
        for (var i = 1; ; i++)
        {
            try
            {
                return await attempt();
            }
            catch (ConcurrencyException) when (i < attempts)
            {
                // Another request changed the record between our read and write: read again and redo.
            }
        }
    }

    /// <summary>
    /// As <see cref="RetryAsync{T}(Func{Task{T}}, int)"/>, but gives up quietly: false when the last try also met a
    /// <see cref="ConcurrencyException"/> (someone else's write stands).
    /// </summary>
    public static async Task<bool> TryAsync<T>(Func<Task<T>> attempt, int attempts)
    {
        try
        {
            await RetryAsync(attempt, attempts);
            return true;
        }
        catch (ConcurrencyException)
        {
            return false;
        }
    }
}
