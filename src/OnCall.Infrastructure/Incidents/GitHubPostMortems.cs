using System.Globalization;
using Microsoft.Extensions.Options;
using NodaTime;
using Octokit;
using Octokit.Internal;
using OnCall.Core.Diagnostics;
using OnCall.Core.Ports;
using OnCall.Infrastructure.Http;

namespace OnCall.Infrastructure.Incidents;

/// <summary>
/// Post-mortem issues through Octokit. Octokit takes no <see cref="CancellationToken"/>, so calls are bounded by its
/// request timeout and our wait ends on cancellation. Writes are serial (GitHub asks for that to avoid secondary
/// rate limits); a rate limit becomes a <see cref="RetryLaterException"/> carrying GitHub's <c>retry-after</c> or
/// <c>x-ratelimit-reset</c>.
/// </summary>
public sealed class GitHubPostMortems : IPostMortemTracker, IDisposable
{
    private static readonly TimeSpan DefaultWait = TimeSpan.FromMinutes(1);

    private readonly IOptions<GitHubOptions> _options;
    private readonly TimeProvider _timeProvider;
    private readonly SemaphoreSlim _writes = new(1, 1);
    private readonly Lazy<GitHubClient> _client;

    public GitHubPostMortems(IOptions<GitHubOptions> options, TimeProvider timeProvider, OnCallMetrics metrics)
    {
        _options = options;
        _timeProvider = timeProvider;
        _client = new(() =>
        {
            var settings = options.Value;
            var baseUrl = settings.BaseUrl.EndsWith('/') ? settings.BaseUrl : settings.BaseUrl + "/";
            var connection = new Connection(
                new ProductHeaderValue("OnCallFunctions"),
                new Uri(baseUrl),
                new InMemoryCredentialStore(new Credentials(settings.Token)),
                new HttpClientAdapter(() => new RequestCounter(metrics, "github")
                {
                    InnerHandler = HttpMessageHandlerFactory.CreateDefault(),
                }),
                new SimpleJsonSerializer());
            connection.SetRequestTimeout(settings.RequestTimeout);
            return new GitHubClient(connection);
        });
    }

    public bool IsConfigured => _options.Value.IsConfigured;

    public void Dispose() => _writes.Dispose();

    private string Owner => _options.Value.Owner!;

    private string Repo => _options.Value.Repo!;

    public Task<PostMortemIssue?> FindAsync(string incidentId, Instant since, CancellationToken cancellationToken = default) =>
        CallAsync(
            async () =>
            {
                var marker = Core.Incidents.PostMortemWriter.Marker(incidentId);
                var request = new RepositoryIssueRequest { State = ItemStateFilter.All, Since = since.ToDateTimeOffset() };
                var issues = await _client.Value.Issue.GetAllForRepository(
                    Owner,
                    Repo,
                    request,
                    new ApiOptions { PageSize = 100, PageCount = 10 });
                var issue = issues.FirstOrDefault(i => i.Body?.Contains(marker, StringComparison.Ordinal) == true);
                return issue is null ? null : new PostMortemIssue(issue.Number, issue.HtmlUrl);
            },
            cancellationToken);

    public async Task<PostMortemIssue> CreateAsync(PostMortemDraft draft, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(draft);
        await _writes.WaitAsync(cancellationToken);
        try
        {
            foreach (var label in draft.Labels)
            {
                await EnsureLabelAsync(label, cancellationToken);
            }

            var issue = new NewIssue(draft.Title) { Body = draft.Body };
            foreach (var label in draft.Labels)
            {
                issue.Labels.Add(label);
            }

            return await CallAsync(
                async () =>
                {
                    var created = await _client.Value.Issue.Create(Owner, Repo, issue);
                    return new PostMortemIssue(created.Number, created.HtmlUrl);
                },
                cancellationToken);
        }
        finally
        {
            _writes.Release();
        }
    }

    private Task<bool> EnsureLabelAsync(string name, CancellationToken cancellationToken) =>
        CallAsync(
            async () =>
            {
                try
                {
                    await _client.Value.Issue.Labels.Get(Owner, Repo, name);
                }
                catch (NotFoundException)
                {
                    try
                    {
                        await _client.Value.Issue.Labels.Create(
                            Owner,
                            Repo,
                            new NewLabel(name, name.StartsWith("severity:", StringComparison.Ordinal) ? "d93f0b" : "5319e7"));
                    }
                    catch (ApiValidationException)
                    {
                        // Created meanwhile by someone else: what we wanted.
                    }
                }

                return true;
            },
            cancellationToken);

    private async Task<T> CallAsync<T>(Func<Task<T>> call, CancellationToken cancellationToken)
    {
        try
        {
            return await call().WaitAsync(cancellationToken);
        }
        catch (RateLimitExceededException exception)
        {
            throw new RetryLaterException(Clamp(exception.GetRetryAfterTimeSpan()), "GitHub rate limit");
        }
        catch (ApiException exception) when (RetryAfterOf(exception) is { } wait)
        {
            throw new RetryLaterException(wait, $"GitHub secondary rate limit ({(int)exception.StatusCode})");
        }
    }

    /// <summary>A 403 or 429 that asks us to wait: <c>retry-after</c> seconds, else until <c>x-ratelimit-reset</c>.</summary>
    private TimeSpan? RetryAfterOf(ApiException exception)
    {
        if ((int)exception.StatusCode is not (403 or 429) || exception.HttpResponse?.Headers is not { } headers)
        {
            return null;
        }

        if (Header(headers, "Retry-After") is { } retry
            && int.TryParse(retry, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            return Clamp(TimeSpan.FromSeconds(seconds));
        }

        if (Header(headers, "X-RateLimit-Remaining") == "0"
            && long.TryParse(Header(headers, "X-RateLimit-Reset"), NumberStyles.None, CultureInfo.InvariantCulture, out var reset))
        {
            return Clamp(DateTimeOffset.FromUnixTimeSeconds(reset) - _timeProvider.GetUtcNow());
        }

        return exception is SecondaryRateLimitExceededException or AbuseException ? DefaultWait : null;
    }

    private static string? Header(IReadOnlyDictionary<string, string> headers, string name) =>
        headers.FirstOrDefault(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Value;

    private static TimeSpan Clamp(TimeSpan wait) =>
        wait < TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : wait > TimeSpan.FromHours(1) ? TimeSpan.FromHours(1) : wait;
}
