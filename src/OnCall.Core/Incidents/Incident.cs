using NodaTime;
using OnCall.Core.Rotations;

namespace OnCall.Core.Incidents;

/// <summary>How bad an incident is; ordered, so a threshold compares with <c>&gt;=</c>.</summary>
public enum Severity
{
    Minor = 1,
    Major = 2,
    Critical = 3,
}

/// <summary>Where an incident is in its life; <see cref="Resolved"/> and <see cref="Canceled"/> are final.</summary>
public enum IncidentStatus
{
    Open,
    Acknowledged,
    Investigating,
    Identified,
    Monitoring,
    Resolved,
    Canceled,
}

/// <summary>
/// One alert from any sender, normalised: whoever sent it, the incident it belongs to is found by
/// (<see cref="Source"/>, <see cref="DedupKey"/>). <see cref="Notes"/> say what reading the sender's payload changed
/// (a severity word taken as the default, a link dropped); they go on the timeline with the alert.
/// </summary>
public sealed record Alert(
    string Source,
    string DedupKey,
    Severity Severity,
    string Title,
    string? Description,
    string? Service,
    IReadOnlyList<string> Components,
    string? RotationId,
    bool Resolved,
    string? Link = null,
    IReadOnlyList<string>? Notes = null);

/// <summary>Where one external step (Statuspage, the post-mortem issue) stands.</summary>
public enum StepStatus
{
    /// <summary>Not begun.</summary>
    None,

    /// <summary>A worker claimed it and is doing it now.</summary>
    Pending,
    Created,
    Updated,
    Resolved,

    /// <summary>Not wanted (not configured, below the threshold, closed before it was posted); final.</summary>
    Skipped,

    /// <summary>The last try failed; the queue tries again.</summary>
    Failed,
}

/// <summary>The state of one external step (Statuspage, the post-mortem issue) as the incident records it.</summary>
/// <param name="Status">Where it stands.</param>
/// <param name="ExternalId">The id over there (Statuspage incident id, issue number).</param>
/// <param name="Url">Where people see it.</param>
/// <param name="Applied">What was last applied over there (a Statuspage status), so a repeated event does nothing.</param>
/// <param name="Target">What the step was doing when it was claimed or failed.</param>
/// <param name="ClaimedAt">When a worker claimed the step; another worker leaves it alone until the lease ends.</param>
/// <param name="Note">Why it was skipped, or what failed last.</param>
/// <param name="RetryAt">
/// When the other side asked us to come back (<c>Retry-After</c>); every worker waits for it, not only the one that was told.
/// </param>
public sealed record StepState(
    StepStatus Status,
    string? ExternalId = null,
    string? Url = null,
    string? Applied = null,
    string? Target = null,
    Instant? ClaimedAt = null,
    string? Note = null,
    Instant? RetryAt = null)
{
    public static readonly StepState None = new(StepStatus.None);

    public bool IsClaimedAt(Instant now, Duration lease) => Status == StepStatus.Pending && ClaimedAt is { } at && now < at + lease;

    public bool IsWaitingAt(Instant now) => RetryAt is { } at && now < at;
}

/// <summary>What a line of an incident's timeline records.</summary>
public enum TimelineKind
{
    Opened,

    /// <summary>The alert came again while the incident was open.</summary>
    Alert,
    Acknowledged,
    Investigating,
    Identified,
    Monitoring,

    /// <summary>Resolved by a person, or by the sender when the alert cleared.</summary>
    Resolved,
    Canceled,

    /// <summary>The commander was reminded that Statuspage still shows the incident open.</summary>
    Reminder,
    Statuspage,
    PostMortem,
}

/// <summary>
/// One line of an incident's timeline; <see cref="By"/> is always set: a person, the webhook source, <see cref="App"/>
/// for the app's own steps, or <see cref="AdminKey"/> for a status change through the API that names nobody.
/// </summary>
public sealed record TimelineEntry(Instant At, TimelineKind Kind, string Message, string By)
{
    public const string App = "oncall";

    public const string AdminKey = "admin";

    /// <summary>The line a status change writes.</summary>
    public static TimelineKind KindOf(IncidentStatus status) => status switch
    {
        IncidentStatus.Acknowledged => TimelineKind.Acknowledged,
        IncidentStatus.Investigating => TimelineKind.Investigating,
        IncidentStatus.Identified => TimelineKind.Identified,
        IncidentStatus.Monitoring => TimelineKind.Monitoring,
        IncidentStatus.Resolved => TimelineKind.Resolved,
        IncidentStatus.Canceled => TimelineKind.Canceled,
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "nothing moves an incident back to open."),
    };
}

/// <summary>An incident: opened once per (source, dedup key) while open; its commander is who was primary on call at opening.</summary>
public sealed record Incident(
    string Id,
    string Source,
    string DedupKey,
    string Title,
    Severity Severity,
    IncidentStatus Status,
    string? RotationId,
    string? Service,
    string? Description,
    IReadOnlyList<string> Components,
    Member? Commander,
    Instant OpenedAt)
{
    public Instant? ResolvedAt { get; init; }

    public string? Link { get; init; }

    /// <summary>The message of the last status change, sent on to Statuspage.</summary>
    public string? StatusMessage { get; init; }

    public StepState Statuspage { get; init; } = StepState.None;

    public StepState PostMortem { get; init; } = StepState.None;

    /// <summary>When the commander was reminded that Statuspage still shows the resolved incident open.</summary>
    public Instant? StatuspageReminderAt { get; init; }

    public bool IsClosed => Status is IncidentStatus.Resolved or IncidentStatus.Canceled;
}

/// <summary>An incident with its timeline, oldest first.</summary>
public sealed record IncidentDetails(Incident Incident, IReadOnlyList<TimelineEntry> Timeline);
