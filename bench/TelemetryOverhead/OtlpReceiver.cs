using System.Collections.Concurrent;
using System.Globalization;
using System.IO.Compression;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

/// <summary>
/// The least an OTLP/HTTP collector does: <c>200</c> with an empty <c>application/x-protobuf</c> body (an empty
/// Export…ServiceResponse) to <c>POST /v1/traces</c>, <c>/v1/metrics</c> and <c>/v1/logs</c>, on two loopback ports so
/// what each sender sent is counted apart: requests, bytes, and the spans, metric streams and log records in them.
/// </summary>
internal sealed class OtlpReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<(int Port, string Path), Counts> _counts = new();

    private OtlpReceiver(WebApplication app, Uri export, Uri control)
    {
        _app = app;
        ExportEndpoint = export;
        ControlEndpoint = control;
    }

    /// <summary>Where the exporting copy sends.</summary>
    public Uri ExportEndpoint { get; }

    /// <summary>Where the copy with the SDK off would send, if it sent anything.</summary>
    public Uri ControlEndpoint { get; }

    public static async Task<OtlpReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [], ContentRootPath = AppContext.BaseDirectory });
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, 0);
            kestrel.Listen(IPAddress.Loopback, 0);
            kestrel.Limits.MaxRequestBodySize = null;
        });
        builder.Logging.ClearProviders();
        var app = builder.Build();
        OtlpReceiver? receiver = null;
        foreach (var path in new[] { "/v1/traces", "/v1/metrics", "/v1/logs" })
        {
            app.MapPost(path, context => receiver!.ReceiveAsync(context, path));
        }

        await app.StartAsync();
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Select(a => new Uri(a)).ToList();
        receiver = new OtlpReceiver(app, addresses[0], addresses[1]);
        return receiver;
    }

    /// <summary>What arrived on <paramref name="port"/>, a line per signal; empty if nothing did.</summary>
    public List<string> Report(int port) =>
    [
        .. _counts.Where(c => c.Key.Port == port).OrderBy(c => c.Key.Path, StringComparer.Ordinal).Select(c => string.Create(CultureInfo.InvariantCulture,
            $"POST {c.Key.Path,-12} {c.Value.Requests,6} requests {c.Value.Bytes,12:N0} bytes {c.Value.Items,9:N0} {ItemName(c.Key.Path)}")),
    ];

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private static string ItemName(string path) => path switch
    {
        "/v1/traces" => "spans",
        "/v1/metrics" => "metric streams",
        _ => "log records",
    };

    private async Task ReceiveAsync(HttpContext context, string path)
    {
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body, context.RequestAborted);
        var bytes = body.Length;
        var payload = body.ToArray();
        if (string.Equals(context.Request.Headers.ContentEncoding, "gzip", StringComparison.OrdinalIgnoreCase))
        {
            using var inflated = new MemoryStream();
            using (var gzip = new GZipStream(new MemoryStream(payload), CompressionMode.Decompress))
            {
                await gzip.CopyToAsync(inflated, context.RequestAborted);
            }

            payload = inflated.ToArray();
        }

        var counts = _counts.GetOrAdd((context.Connection.LocalPort, path), _ => new Counts());
        counts.Add(bytes, Protobuf.CountNested(payload, [1, 2, 2]));
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/x-protobuf";
        context.Response.ContentLength = 0;
    }

    private sealed class Counts
    {
        private long _requests;
        private long _bytes;
        private long _items;

        public long Requests => Interlocked.Read(ref _requests);

        public long Bytes => Interlocked.Read(ref _bytes);

        public long Items => Interlocked.Read(ref _items);

        public void Add(long bytes, int items)
        {
            Interlocked.Increment(ref _requests);
            Interlocked.Add(ref _bytes, bytes);
            Interlocked.Add(ref _items, items);
        }
    }
}

/// <summary>
/// Just enough of the protobuf wire format to count items. The three OTLP export requests share one shape:
/// field 1 the resource's entries (ResourceSpans/Metrics/Logs), their field 2 the scope's entries, their field 2 the
/// items (Span, Metric, LogRecord); so <c>[1, 2, 2]</c> counts spans, metric streams or log records.
/// </summary>
internal static class Protobuf
{
    public static int CountNested(ReadOnlySpan<byte> message, ReadOnlySpan<int> path)
    {
        var count = 0;
        var position = 0;
        while (position < message.Length)
        {
            var tag = ReadVarint(message, ref position);
            var field = (int)(tag >> 3);
            switch ((int)(tag & 7))
            {
                case 0:
                    ReadVarint(message, ref position);
                    break;
                case 1:
                    position += 8;
                    break;
                case 2:
                    var length = (int)ReadVarint(message, ref position);
                    if (field == path[0])
                    {
                        count += path.Length == 1 ? 1 : CountNested(message.Slice(position, length), path[1..]);
                    }

                    position += length;
                    break;
                case 5:
                    position += 4;
                    break;
                default:
                    throw new InvalidDataException($"Unexpected protobuf wire type in tag {tag}.");
            }
        }

        return count;
    }

    private static ulong ReadVarint(ReadOnlySpan<byte> data, ref int position)
    {
        ulong value = 0;
        for (var shift = 0; ; shift += 7)
        {
            var b = data[position++];
            value |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                return value;
            }
        }
    }
}
