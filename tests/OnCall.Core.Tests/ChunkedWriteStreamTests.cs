using OnCall.Core.Feeds;

namespace OnCall.Core.Tests;

public sealed class ChunkedWriteStreamTests
{
    [Fact]
    public void Detach_AfterWritesSpanningChunks_KeepsEveryByteInOrder()
    {
        var written = new byte[3_000_001];
        new Random(7).NextBytes(written);
        using var stream = new ChunkedWriteStream();
        for (var at = 0; at < written.Length; at += 4_099)
        {
            stream.Write(written.AsSpan(at, Math.Min(4_099, written.Length - at)));
        }

        var bytes = stream.Detach();

        Assert.True(bytes.Chunks.Count > 1, "one chunk: nothing was split");
        using var read = new MemoryStream();
        bytes.OpenRead().CopyTo(read);
        Assert.Equal(written, read.ToArray());
    }

    [Fact]
    public void Detach_SmallBody_KeepsOnlyWhatWasWritten()
    {
        using var stream = new ChunkedWriteStream();
        stream.Write("BEGIN:VCALENDAR\r\n"u8);

        var bytes = stream.Detach();

        Assert.Equal(17, Assert.Single(bytes.Chunks).Length);
    }
}
