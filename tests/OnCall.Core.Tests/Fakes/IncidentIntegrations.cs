using NodaTime;
using OnCall.Core.Jobs;
using OnCall.Core.Ports;

namespace OnCall.Core.Tests.Fakes;

/// <summary>Statuspage in memory: keeps every incident posted, finds an unresolved one by our incident id, as the API does.</summary>
internal sealed class InMemoryStatuspage : IStatuspage
{
    private readonly Dictionary<string, (StatuspagePost Post, string Id)> _byIncident = new(StringComparer.Ordinal);

    public bool IsConfigured { get; set; } = true;

    /// <summary>Thrown, one per call, by the next create or update before it reaches the page.</summary>
    public Queue<Exception> Failures { get; } = new();

    /// <summary>The next create goes through but its answer is lost (a timeout after the page stored it).</summary>
    public bool LoseNextCreateAnswer { get; set; }

    public List<(string Call, StatuspagePost Post)> Calls { get; } = [];

    public Task<StatuspageRecord> CreateAsync(StatuspagePost post, CancellationToken cancellationToken = default)
    {
        ThrowScriptedFailure();
        Calls.Add(("create", post));
        var id = $"sp{_byIncident.Count + 1}";
        _byIncident[post.IncidentId] = (post, id);
        if (LoseNextCreateAnswer)
        {
            LoseNextCreateAnswer = false;
            throw new TimeoutException("Statuspage did not answer in time.");
        }

        return Task.FromResult(Record(id));
    }

    public Task<StatuspageRecord> UpdateAsync(string statuspageId, StatuspagePost post, CancellationToken cancellationToken = default)
    {
        ThrowScriptedFailure();
        Calls.Add(("update", post));
        _byIncident[post.IncidentId] = (post, statuspageId);
        return Task.FromResult(Record(statuspageId));
    }

    public Task<StatuspageRecord?> FindAsync(string incidentId, CancellationToken cancellationToken = default) =>
        Task.FromResult(_byIncident.TryGetValue(incidentId, out var found) && found.Post.Status != "resolved" ? Record(found.Id) : null);

    private static StatuspageRecord Record(string id) => new(id, $"https://status.example.com/incidents/{id}");

    private void ThrowScriptedFailure()
    {
        if (Failures.TryDequeue(out var failure))
        {
            throw failure;
        }
    }
}

/// <summary>GitHub issues in memory: finds the issue filed for an incident (its hidden marker), as the tracker does.</summary>
internal sealed class InMemoryPostMortems : IPostMortemTracker
{
    public bool IsConfigured { get; set; } = true;

    public Queue<Exception> Failures { get; } = new();

    /// <summary>The next create files the issue but its answer is lost.</summary>
    public bool LoseNextCreateAnswer { get; set; }

    public List<(PostMortemDraft Draft, PostMortemIssue Issue)> Filed { get; } = [];

    public Task<PostMortemIssue?> FindAsync(string incidentId, Instant since, CancellationToken cancellationToken = default) =>
        Task.FromResult(Filed.Where(f => f.Draft.IncidentId == incidentId).Select(f => f.Issue).FirstOrDefault());

    public Task<PostMortemIssue> CreateAsync(PostMortemDraft draft, CancellationToken cancellationToken = default)
    {
        if (Failures.TryDequeue(out var failure))
        {
            throw failure;
        }

        var number = Filed.Count + 41;
        var issue = new PostMortemIssue(number, $"https://github.com/acme/incidents/issues/{number}");
        Filed.Add((draft, issue));
        if (LoseNextCreateAnswer)
        {
            LoseNextCreateAnswer = false;
            throw new TimeoutException("GitHub did not answer in time.");
        }

        return Task.FromResult(issue);
    }
}

/// <summary>The work queues in memory: keeps every message with the delay it was sent with.</summary>
internal sealed class RecordingQueue : IWorkQueueSender
{
    public List<(string Queue, object? Message, TimeSpan? Delay)> Sent { get; } = [];

    /// <summary>When set, every enqueue fails with it (storage down).</summary>
    public Exception? Failure { get; set; }

    public IReadOnlyList<TMessage> On<TMessage>(WorkQueueName<TMessage> queue) =>
        [.. Sent.Where(s => s.Queue == queue.Name).Select(s => (TMessage)s.Message!)];

    public Task EnqueueAsync<TMessage>(
        WorkQueueName<TMessage> queue, TMessage message, TimeSpan? delay = null, CancellationToken cancellationToken = default)
    {
        if (Failure is not null)
        {
            throw Failure;
        }

        Sent.Add((queue.Name, message, delay));
        return Task.CompletedTask;
    }
}
