using Microsoft.Extensions.Time.Testing;

namespace OnCall.TestSupport;

public static class Clocks
{
    /// <summary>A fake clock at <paramref name="utc"/> (ISO-8601), which moves only when a test advances it.</summary>
    public static FakeTimeProvider At(string utc) =>
        new(DateTimeOffset.Parse(utc, System.Globalization.CultureInfo.InvariantCulture)) { AutoAdvanceAmount = TimeSpan.Zero };
}
