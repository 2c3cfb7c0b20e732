namespace OnCall.Infrastructure.Http;

/// <summary>
/// Marks the outgoing calls whose URL is itself a secret (a Slack or Teams webhook): telemetry started inside
/// <see cref="Begin"/> keeps only the scheme and host of the URL. Flows with the async context, like the call itself.
/// </summary>
public static class HiddenUrl
{
    private static readonly AsyncLocal<bool> Active = new();

    /// <summary>Whether the current call's URL is to be hidden.</summary>
    public static bool IsActive => Active.Value;

    /// <summary>Hides the URLs of calls made until the result is disposed.</summary>
    public static IDisposable Begin()
    {
        var previous = Active.Value;
        Active.Value = true;
        return new Scope(previous);
    }

    private sealed class Scope(bool previous) : IDisposable
    {
        public void Dispose() => Active.Value = previous;
    }
}
