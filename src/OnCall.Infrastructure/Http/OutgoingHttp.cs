using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Polly;
using Polly.Timeout;

namespace OnCall.Infrastructure.Http;

/// <summary>
/// The one way the app calls other services over HTTP: a typed client from <see cref="IHttpClientFactory"/> behind one
/// resilience pipeline (total timeout, retries with exponential backoff and jitter that honour <c>Retry-After</c>, a
/// circuit breaker per host, a timeout per attempt), with time from the app's <see cref="TimeProvider"/>.
/// </summary>
public static class OutgoingHttp
{
    /// <summary>
    /// Registers <typeparamref name="TClient"/> as a typed client named <paramref name="name"/>, its
    /// <see cref="OutgoingHttpOptions"/> (named <paramref name="name"/>) bound from <paramref name="httpSection"/> and
    /// validated at start. The factory's request logging is removed: our URLs can carry secrets (webhook tokens),
    /// so a client logs what it did itself, without the URL. <paramref name="alsoTransient"/> marks more answers as worth
    /// another try than <see cref="IsTransient"/> does (Google's 403 <c>rateLimitExceeded</c>, which only its body tells apart).
    /// </summary>
    public static IHttpClientBuilder AddOutgoingClient<TClient, TImplementation>(
        this IServiceCollection services,
        string name,
        IConfiguration httpSection,
        Action<IServiceProvider, HttpClient>? configureClient = null,
        Func<HttpResponseMessage, ValueTask<bool>>? alsoTransient = null)
        where TClient : class
        where TImplementation : class, TClient
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(httpSection);

        services.AddOptions<OutgoingHttpOptions>(name)
            .Bind(httpSection)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);

        var builder = services
            .AddHttpClient<TClient, TImplementation>(name, (provider, client) =>
            {
                // The pipeline's total timeout bounds a call; HttpClient's own 100 s default would only cut it short.
                client.Timeout = Timeout.InfiniteTimeSpan;
                configureClient?.Invoke(provider, client);
            })
            // Pooled connections expire instead of handlers rotating, so a typed client held by a singleton still sees DNS changes.
            .UseSocketsHttpHandler((handler, _) => handler.PooledConnectionLifetime = TimeSpan.FromMinutes(2))
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan)
            // The default handlers log every request URI at Information, and a webhook URL is a secret.
            .RemoveAllLoggers();

        builder
            .AddResilienceHandler("outgoing", (pipeline, context) =>
            {
                var options = context.GetOptions<OutgoingHttpOptions>(name);
                var timeProvider = context.ServiceProvider.GetRequiredService<TimeProvider>();
                Configure(pipeline, options, timeProvider, alsoTransient);
            })
            // One circuit per host: a dead Teams workflow does not stop Slack, nor one rotation's webhook host another's.
            .SelectPipelineByAuthority();

        return builder;
    }

    /// <summary>The same as <see cref="AddOutgoingClient{TClient, TImplementation}"/> for a typed client registered as itself.</summary>
    public static IHttpClientBuilder AddOutgoingClient<TClient>(
        this IServiceCollection services,
        string name,
        IConfiguration httpSection,
        Action<IServiceProvider, HttpClient>? configureClient = null)
        where TClient : class =>
        services.AddOutgoingClient<TClient, TClient>(name, httpSection, configureClient);

    /// <summary>Outer to inner: total timeout, retry, circuit breaker, attempt timeout.</summary>
    internal static void Configure(
        ResiliencePipelineBuilder<HttpResponseMessage> pipeline,
        OutgoingHttpOptions options,
        TimeProvider timeProvider,
        Func<HttpResponseMessage, ValueTask<bool>>? alsoTransient = null)
    {
        async ValueTask<bool> ShouldRetry(Outcome<HttpResponseMessage> outcome) =>
            IsTransient(outcome) || (alsoTransient is not null && outcome.Result is { } response && await alsoTransient(response));

        pipeline.TimeProvider = timeProvider;
        pipeline.AddTimeout(new HttpTimeoutStrategyOptions { Name = "total", Timeout = options.TotalTimeout });
        if (options.MaxRetryAttempts > 0)
        {
            pipeline.AddRetry(new HttpRetryStrategyOptions
            {
                MaxRetryAttempts = options.MaxRetryAttempts,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.RetryBaseDelay,
                MaxDelay = options.MaxRetryDelay,
                ShouldHandle = args => ShouldRetry(args.Outcome),
                // Ours rather than the built-in one: it is capped, and it reads HTTP-dates with our clock.
                DelayGenerator = args => ValueTask.FromResult(RetryAfter.Delay(args.Outcome.Result, timeProvider, options.MaxRetryDelay)),
            });
        }

        pipeline
            .AddCircuitBreaker(new HttpCircuitBreakerStrategyOptions
            {
                FailureRatio = options.CircuitBreakerFailureRatio,
                MinimumThroughput = options.CircuitBreakerMinimumThroughput,
                SamplingDuration = options.CircuitBreakerSamplingDuration,
                BreakDuration = options.CircuitBreakerBreakDuration,
                ShouldHandle = args => ShouldRetry(args.Outcome),
            })
            .AddTimeout(new HttpTimeoutStrategyOptions { Name = "attempt", Timeout = options.AttemptTimeout });
    }

    /// <summary>Worth another try: 408, 429, any 5xx, a failed connection or an attempt that timed out.</summary>
    public static bool IsTransient(Outcome<HttpResponseMessage> outcome) => outcome switch
    {
        { Exception: HttpRequestException or TimeoutRejectedException } => true,
        { Result: { } response } => response.StatusCode is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests
            || (int)response.StatusCode >= 500,
        _ => false,
    };
}
