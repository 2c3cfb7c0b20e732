using System.IO.Compression;
using System.Text;
using OnCall.Core.Feeds;
using OnCall.Core.Ports;
using OnCall.Core.Rotations;

namespace OnCall.Core.Tests;

public sealed class FeedBodyTests
{
    [Fact]
    public async Task WritePlainAsync_BodyTooLargeToKeepPlain_InflatesTheSameBytes()
    {
        var writer = new LinesWriter(lines: 300_000);

        var body = await FeedBody.RenderAsync(writer, Rotations.Settings(), AsyncEnumerable.Empty<FeedEntry>());

        Assert.True(body.Length > FeedBody.KeepPlainUpTo, $"only {body.Length} bytes: the test needs a body over the limit");
        Assert.Equal(writer.Written, await body.ToPlainArrayAsync());
    }

    [Fact]
    public async Task Gzip_SmallBody_InflatesToThePlainBody()
    {
        var writer = new LinesWriter(lines: 100);

        var body = await FeedBody.RenderAsync(writer, Rotations.Settings(), AsyncEnumerable.Empty<FeedEntry>());

        await using var inflate = new GZipStream(body.Gzip.OpenRead(), CompressionMode.Decompress);
        using var plain = new MemoryStream();
        await inflate.CopyToAsync(plain);
        Assert.Equal(writer.Written, plain.ToArray());
        Assert.Equal(writer.Written.Length, body.Length);
    }

    /// <summary>Writes numbered lines in small pieces, as the ICS writer flushes, and remembers them.</summary>
    private sealed class LinesWriter(int lines) : ICalendarFeedWriter
    {
        public byte[] Written { get; private set; } = [];

        public async Task<long> WriteAsync(RotationSettings rotation, IAsyncEnumerable<FeedEntry> entries, Stream output, CancellationToken cancellationToken = default)
        {
            var text = new StringBuilder();
            var random = new Random(11);
            for (var i = 0; i < lines; i++)
            {
                text.Append("SUMMARY:shift ").Append(i).Append(' ').Append(random.Next()).Append("\r\n");
            }

            Written = Encoding.UTF8.GetBytes(text.ToString());
            for (var at = 0; at < Written.Length; at += 8_000)
            {
                await output.WriteAsync(Written.AsMemory(at, Math.Min(8_000, Written.Length - at)), cancellationToken);
            }

            return Written.Length;
        }
    }
}
