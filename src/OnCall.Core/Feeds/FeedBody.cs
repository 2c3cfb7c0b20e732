using System.IO.Compression;
using OnCall.Core.Ports;
using OnCall.Core.Rotations;

namespace OnCall.Core.Feeds;

/// <summary>
/// A feed's body, gzipped (calendar apps ask for gzip, and an ICS feed shrinks about sixfold), and plain as well when it
/// is small enough to keep twice; a larger one is inflated on the way out to the rare client that cannot take gzip.
/// </summary>
public sealed class FeedBody
{
    /// <summary>Plain bodies up to this size are kept beside the gzipped one (the 9,500-event feed is 4 MB).</summary>
    public const long KeepPlainUpTo = 8 * 1024 * 1024;

    private readonly FeedBytes? _plain;

    private FeedBody(FeedBytes gzip, long length, FeedBytes? plain)
    {
        Gzip = gzip;
        Length = length;
        _plain = plain;
    }

    public FeedBytes Gzip { get; }

    /// <summary>The plain (UTF-8) body's length.</summary>
    public long Length { get; }

    /// <summary>
    /// Renders the entries as they arrive, straight into gzip, so neither they nor a large plain body are ever held
    /// whole.
    /// </summary>
    public static async Task<FeedBody> RenderAsync(
        ICalendarFeedWriter writer,
        RotationSettings settings,
        IAsyncEnumerable<FeedEntry> entries,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(writer);
        using var compressed = new ChunkedWriteStream();
        long length;
        await using (var gzip = new GZipStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
        {
            length = await writer.WriteAsync(settings, entries, gzip, cancellationToken);
        }

        var zipped = compressed.Detach();
        return new FeedBody(zipped, length, length <= KeepPlainUpTo ? await InflateAsync(zipped, cancellationToken) : null);
    }

    public async Task WritePlainAsync(Stream destination, CancellationToken cancellationToken = default)
    {
        if (_plain is not null)
        {
            await _plain.CopyToAsync(destination, cancellationToken);
            return;
        }

        await using var inflate = new GZipStream(Gzip.OpenRead(), CompressionMode.Decompress);
        await inflate.CopyToAsync(destination, cancellationToken);
    }

    public async Task<byte[]> ToPlainArrayAsync(CancellationToken cancellationToken = default)
    {
        using var output = new MemoryStream(checked((int)Length));
        await WritePlainAsync(output, cancellationToken);
        return output.ToArray();
    }

    private static async Task<FeedBytes> InflateAsync(FeedBytes zipped, CancellationToken cancellationToken)
    {
        using var plain = new ChunkedWriteStream();
        await using (var inflate = new GZipStream(zipped.OpenRead(), CompressionMode.Decompress))
        {
            await inflate.CopyToAsync(plain, cancellationToken);
        }

        return plain.Detach();
    }
}

/// <summary>Bytes kept as a list of chunks: a 37 MB feed is neither one array nor copied each time a buffer grows.</summary>
public sealed class FeedBytes(IReadOnlyList<ReadOnlyMemory<byte>> chunks)
{
    public IReadOnlyList<ReadOnlyMemory<byte>> Chunks { get; } = chunks;

    public long Length { get; } = chunks.Sum(c => (long)c.Length);

    public async Task CopyToAsync(Stream destination, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(destination);
        foreach (var chunk in Chunks)
        {
            await destination.WriteAsync(chunk, cancellationToken);
        }
    }

    /// <summary>A read-only stream over the chunks, without copying them.</summary>
    public Stream OpenRead() => new ChunkReadStream(Chunks);
}

/// <summary>
/// A write-only stream into chunks that grow from 16 KB to 1 MB: a small feed wastes little, and a large one is
/// written without the copies (and the momentary double size) of a growing <see cref="MemoryStream"/>.
/// </summary>
public sealed class ChunkedWriteStream : Stream
{
    private const int SmallestChunk = 16 * 1024;
    private const int LargestChunk = 1024 * 1024;
    private readonly List<ReadOnlyMemory<byte>> _full = [];
    private byte[] _current = new byte[SmallestChunk];
    private int _used;
    private long _length;

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => _length;

    public override long Position
    {
        get => _length;
        set => throw new NotSupportedException();
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        while (!buffer.IsEmpty)
        {
            if (_used == _current.Length)
            {
                _full.Add(_current);
                _current = new byte[(int)Math.Clamp(_length, SmallestChunk, LargestChunk)];
                _used = 0;
            }

            var take = Math.Min(buffer.Length, _current.Length - _used);
            buffer[..take].CopyTo(_current.AsSpan(_used));
            _used += take;
            _length += take;
            buffer = buffer[take..];
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        Write(buffer.AsSpan(offset, count));
        return Task.CompletedTask;
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Write(buffer.Span);
        return ValueTask.CompletedTask;
    }

    /// <summary>The bytes written; the last chunk is trimmed when most of it is empty.</summary>
    public FeedBytes Detach()
    {
        var chunks = new List<ReadOnlyMemory<byte>>(_full);
        if (_used > 0)
        {
            chunks.Add(_used < _current.Length / 2 ? _current.AsSpan(0, _used).ToArray() : _current.AsMemory(0, _used));
        }

        _full.Clear();
        _current = [];
        _used = 0;
        return new FeedBytes(chunks);
    }

    public override void Flush()
    {
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();
}

/// <summary>Reads a list of chunks as one stream.</summary>
internal sealed class ChunkReadStream(IReadOnlyList<ReadOnlyMemory<byte>> chunks) : Stream
{
    private int _chunk;
    private int _offset;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        while (_chunk < chunks.Count && _offset == chunks[_chunk].Length)
        {
            (_chunk, _offset) = (_chunk + 1, 0);
        }

        if (_chunk == chunks.Count)
        {
            return 0;
        }

        var take = Math.Min(buffer.Length, chunks[_chunk].Length - _offset);
        chunks[_chunk].Span.Slice(_offset, take).CopyTo(buffer);
        _offset += take;
        return take;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        Task.FromResult(Read(buffer.AsSpan(offset, count)));

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Read(buffer.Span));

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
