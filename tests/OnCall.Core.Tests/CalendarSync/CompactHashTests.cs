using OnCall.Core.CalendarSync;

namespace OnCall.Core.Tests.CalendarSync;

public sealed class CompactHashTests
{
    private const string Hash = "0123456789abcdef00112233445566ff";

    [Fact]
    public void From_SameHashTwice_AreEqual() =>
        Assert.Equal(CompactHash.From(Hash), CompactHash.From(new string(Hash.AsSpan())));

    [Fact]
    public void From_HashesDifferingInTheLastDigit_AreNotEqual() =>
        Assert.NotEqual(CompactHash.From(Hash), CompactHash.From(Hash[..^1] + "e"));

    [Fact]
    public void From_HashesDifferingInTheFirstHalf_AreNotEqual() =>
        Assert.NotEqual(CompactHash.From(Hash), CompactHash.From("1" + Hash[1..]));

    [Fact]
    public void From_UppercaseDigits_IsNotEqualToTheLowercaseHash() =>
        Assert.NotEqual(CompactHash.From(Hash), CompactHash.From(Hash.ToUpperInvariant()));

    [Fact]
    public void From_EmptyText_EqualsOnlyEmptyText()
    {
        Assert.Equal(CompactHash.From(""), CompactHash.From(""));
        Assert.NotEqual(CompactHash.From(""), CompactHash.From(new string('0', 32)));
    }

    [Fact]
    public void From_HashOfEventContent_IsHeldWithoutItsText() =>
        Assert.Null(CompactHash.From(Hash).Text);
}
