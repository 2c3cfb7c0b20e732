namespace OnCall.Core.Errors;

/// <summary>Optimistic concurrency: read, decide, write with the version read; redo when someone wrote in between.</summary>
public static class Optimistic
{
    public const int Attempts = 3;

    public static async Task<T> RetryAsync<T>(Func<Task<T>> attempt)
    {
        for (var i = 1; ; i++)
        {
            try
            {
                return await attempt();
            }
            catch (ConcurrencyException) when (i < Attempts)
            {
                // Another request changed the record between our read and write: read again and redo.
            }
        }
    }
}
