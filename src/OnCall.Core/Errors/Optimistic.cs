namespace OnCall.Core.Errors;

/// <summary>
/// Optimistic concurrency, written once: read, decide, write with the version read, and redo when someone wrote in
/// between. Every read-modify-write in the app goes through here, each naming how many attempts it is worth.
/// </summary>
public static class Optimistic
{
    /// <summary>
    /// Up to <paramref name="attempts"/> tries of <paramref name="attempt"/>, which reads afresh each time; the last
    /// try's <see cref="ConcurrencyException"/> reaches the caller.
    /// </summary>
    public static async Task<T> RetryAsync<T>(Func<Task<T>> attempt, int attempts)
    {
        ArgumentNullException.ThrowIfNull(attempt);
        ArgumentOutOfRangeException.ThrowIfLessThan(attempts, 1);
        for (var i = 1; ; i++)
        {
            try
            {
                return await attempt();
            }
            catch (ConcurrencyException) when (i < attempts)
            {
                // Another writer changed the record between our read and write: read again and redo.
            }
        }
    }

    /// <inheritdoc cref="RetryAsync{T}(Func{Task{T}}, int)"/>
    public static Task RetryAsync(Func<Task> attempt, int attempts)
    {
        ArgumentNullException.ThrowIfNull(attempt);
        return RetryAsync(
            async () =>
            {
                await attempt();
                return true;
            },
            attempts);
    }

    /// <summary>
    /// Like <see cref="RetryAsync(Func{Task}, int)"/>, but gives up quietly: false when every try lost to another
    /// writer. For writes another writer makes redundant (whoever wrote first did the same or newer work).
    /// </summary>
    public static async Task<bool> TryAsync(Func<Task> attempt, int attempts)
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
