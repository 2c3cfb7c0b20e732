using NodaTime;

namespace OnCall.Core.Ports;

/// <summary>What we ask Statuspage to show: our incident's id travels along so it can be found again after a crash.</summary>
public sealed record StatuspagePost(
    string IncidentId,
    string Name,
    string Status,
    string Body,
    string Impact,
    IReadOnlyList<string> Components,
    string ComponentStatus);

public sealed record StatuspageRecord(string Id, string? Url);

/// <summary>The public status page. Off (<see cref="IsConfigured"/> false) until its key and page are set.</summary>
public interface IStatuspage
{
    bool IsConfigured { get; }

    Task<StatuspageRecord> CreateAsync(StatuspagePost post, CancellationToken cancellationToken = default);

    Task<StatuspageRecord> UpdateAsync(string statuspageId, StatuspagePost post, CancellationToken cancellationToken = default);

    /// <summary>An unresolved Statuspage incident created for <paramref name="incidentId"/>, if a create went through unrecorded.</summary>
    Task<StatuspageRecord?> FindAsync(string incidentId, CancellationToken cancellationToken = default);
}

public sealed record PostMortemDraft(string IncidentId, string Title, string Body, IReadOnlyList<string> Labels);

public sealed record PostMortemIssue(int Number, string Url);

/// <summary>Where post-mortems are filed (GitHub issues). Off until its token, owner and repository are set.</summary>
public interface IPostMortemTracker
{
    bool IsConfigured { get; }

    /// <summary>
    /// The issue filed for <paramref name="incidentId"/> (found by its hidden marker) among issues updated since
    /// <paramref name="since"/>.
    /// </summary>
    Task<PostMortemIssue?> FindAsync(string incidentId, Instant since, CancellationToken cancellationToken = default);

    /// <summary>Files the issue, creating its labels first when they are missing.</summary>
    Task<PostMortemIssue> CreateAsync(PostMortemDraft draft, CancellationToken cancellationToken = default);
}

/// <summary>The other side asked us to wait (rate limit, <c>Retry-After</c>); the work is tried again after <see cref="Delay"/>.</summary>
public sealed class RetryLaterException(TimeSpan delay, string reason) : Exception(reason)
{
    public TimeSpan Delay { get; } = delay;
}
