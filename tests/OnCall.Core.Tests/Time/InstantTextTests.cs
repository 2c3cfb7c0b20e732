using System.Text.Json;
using NodaTime;
using OnCall.Core.Serialization;
using OnCall.Core.Time;

namespace OnCall.Core.Tests.Time;

public sealed class InstantTextTests
{
    private static readonly Instant WithFraction = Instant.FromUtc(2026, 11, 30, 10, 0, 4).PlusNanoseconds(250_000_000);

    private static readonly JsonSerializerOptions Json = new JsonSerializerOptions(JsonSerializerDefaults.Web).WithNodaTime();

    [Fact]
    public void Format_FractionOfASecond_KeepsIt() =>
        Assert.Equal("2026-11-30T10:00:04.25Z", InstantText.Format(WithFraction));

    [Fact]
    public void Format_WholeSecond_WritesNoFraction() =>
        Assert.Equal("2026-11-30T10:00:04Z", InstantText.Format(Instant.FromUtc(2026, 11, 30, 10, 0, 4)));

    [Fact]
    public void Serialize_Instant_WritesWhatInstantTextWrites() =>
        Assert.Equal($"\"{InstantText.Format(WithFraction)}\"", JsonSerializer.Serialize(WithFraction, Json));

    [Fact]
    public void Deserialize_WholeSecondFormOfOlderRows_Reads() =>
        Assert.Equal(Instant.FromUtc(2026, 11, 30, 10, 0, 4), JsonSerializer.Deserialize<Instant>("\"2026-11-30T10:00:04Z\"", Json));

    [Fact]
    public void FormatWholeSeconds_FractionOfASecond_FlooredForIds() =>
        Assert.Equal("2026-11-30T10:00:04Z", InstantText.FormatWholeSeconds(WithFraction));
}
