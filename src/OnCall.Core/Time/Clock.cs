using NodaTime;

namespace OnCall.Core.Time;

public static class Clock
{
    /// <summary>The current instant of <paramref name="timeProvider"/>: the one way Core reads the time.</summary>
    public static Instant GetCurrentInstant(this TimeProvider timeProvider) => Instant.FromDateTimeOffset(timeProvider.GetUtcNow());
}
