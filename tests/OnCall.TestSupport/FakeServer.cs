using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace OnCall.TestSupport;

/// <summary>One request as the fake server received it.</summary>
public sealed record RecordedRequest(
    string Method,
    string Path,
    string Query,
    IReadOnlyDictionary<string, string> Headers,
    string Body,
    DateTimeOffset ReceivedAt);

/// <summary>
/// What the fake does with one request before its routes see it: wait <see cref="Delay"/>, then answer
/// <see cref="StatusCode"/> (with <see cref="RetryAfter"/> and <see cref="Body"/>), or, with no status, hand the request on.
/// </summary>
public sealed record FakeResponse
{
    public int? StatusCode { get; init; }

    public TimeSpan Delay { get; init; }

    /// <summary>The raw <c>Retry-After</c> value: delta-seconds or an HTTP-date.</summary>
    public string? RetryAfter { get; init; }

    /// <summary>A <c>Retry-After</c> HTTP-date this far after the moment of answering (whole seconds, as HTTP-dates are).</summary>
    public TimeSpan? RetryAfterDateIn { get; init; }

    public string? Body { get; init; }

    public string ContentType { get; init; } = "text/plain; charset=utf-8";

    public static FakeResponse Status(int statusCode, string? body = null) => new() { StatusCode = statusCode, Body = body };

    public static FakeResponse TooManyRequests(TimeSpan retryAfter, string? body = null) => new()
    {
        StatusCode = StatusCodes.Status429TooManyRequests,
        RetryAfter = ((long)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture),
        Body = body,
    };

    public static FakeResponse TooManyRequests(DateTimeOffset retryAt, string? body = null) => new()
    {
        StatusCode = StatusCodes.Status429TooManyRequests,
        RetryAfter = retryAt.ToUniversalTime().ToString("R", CultureInfo.InvariantCulture),
        Body = body,
    };

    /// <summary>A <c>429</c> whose <c>Retry-After</c> is an HTTP-date <paramref name="fromAnswer"/> after it is sent.</summary>
    public static FakeResponse TooManyRequestsUntil(TimeSpan fromAnswer, string? body = null) => new()
    {
        StatusCode = StatusCodes.Status429TooManyRequests,
        RetryAfterDateIn = fromAnswer,
        Body = body,
    };

    /// <summary>Waits, then answers as the routes would.</summary>
    public static FakeResponse Slow(TimeSpan delay) => new() { Delay = delay };
}

/// <summary>
/// A real Kestrel server on a free loopback port that records every request and answers queued faults before its routes.
/// A fake service (Slack, Teams, Google, GitHub, Statuspage, Service Bus …) derives from it and maps its routes in
/// <see cref="MapRoutes"/>; tests queue faults with <see cref="Enqueue"/> and read <see cref="Requests"/>.
/// </summary>
public abstract class FakeServer : IAsyncDisposable
{
    private readonly ConcurrentQueue<FakeResponse> _faults = new();
    private readonly List<RecordedRequest> _requests = [];
    private readonly Lock _requestsLock = new();
    private WebApplication? _app;
    private Uri? _baseAddress;

    /// <summary>Where the server listens, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri BaseAddress => _baseAddress ?? throw new InvalidOperationException("Call StartAsync first.");

    /// <summary>Every request received so far, in arrival order, faulted ones included.</summary>
    public IReadOnlyList<RecordedRequest> Requests
    {
        get
        {
            lock (_requestsLock)
            {
                return [.. _requests];
            }
        }
    }

    /// <summary>The clock of <see cref="RecordedRequest.ReceivedAt"/>.</summary>
    protected virtual TimeProvider Clock => TimeProvider.System;

    /// <summary>The next <paramref name="times"/> requests, whatever their route, get <paramref name="response"/>.</summary>
    public void Enqueue(FakeResponse response, int times = 1)
    {
        ArgumentNullException.ThrowIfNull(response);
        for (var i = 0; i < times; i++)
        {
            _faults.Enqueue(response);
        }
    }

    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [], ContentRootPath = AppContext.BaseDirectory });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        ConfigureServices(builder.Services);
        var app = builder.Build();
        app.Use(RecordAndInjectAsync);
        MapRoutes(app);
        await app.StartAsync(cancellationToken);
        _app = app;
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        _baseAddress = new Uri(address.EndsWith('/') ? address : address + "/");
    }

    /// <summary>The service's routes, mapped after recording and fault injection.</summary>
    protected abstract void MapRoutes(WebApplication app);

    protected virtual void ConfigureServices(IServiceCollection services)
    {
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            // A request still waiting out an injected delay must not hold the test up.
            using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await _app.StopAsync(stop.Token);
            await _app.DisposeAsync();
        }

        GC.SuppressFinalize(this);
    }

    private async Task RecordAndInjectAsync(HttpContext context, RequestDelegate next)
    {
        var receivedAt = Clock.GetUtcNow();
        var request = context.Request;
        request.EnableBuffering();
        string body;
        using (var reader = new StreamReader(request.Body, leaveOpen: true))
        {
            body = await reader.ReadToEndAsync(context.RequestAborted);
        }

        request.Body.Position = 0;
        var headers = request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        lock (_requestsLock)
        {
            _requests.Add(new RecordedRequest(request.Method, request.Path.Value ?? "", request.QueryString.Value ?? "", headers, body, receivedAt));
        }

        if (!_faults.TryDequeue(out var fault))
        {
            await next(context);
            return;
        }

        if (fault.Delay > TimeSpan.Zero)
        {
            try
            {
                await Task.Delay(fault.Delay, context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                // The client gave up, as a client with a timeout should.
                return;
            }
        }

        if (fault.StatusCode is not { } status)
        {
            await next(context);
            return;
        }

        context.Response.StatusCode = status;
        if (fault.RetryAfter is not null)
        {
            context.Response.Headers.RetryAfter = fault.RetryAfter;
        }
        else if (fault.RetryAfterDateIn is { } fromNow)
        {
            context.Response.Headers.RetryAfter = (Clock.GetUtcNow() + fromNow).ToString("R", CultureInfo.InvariantCulture);
        }

        if (fault.Body is not null)
        {
            context.Response.ContentType = fault.ContentType;
            await context.Response.WriteAsync(fault.Body, context.RequestAborted);
        }
    }
}
