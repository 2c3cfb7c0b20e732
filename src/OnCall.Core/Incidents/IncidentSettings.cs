using NodaTime;

namespace OnCall.Core.Incidents;

/// <summary>Incident policy, from <c>OnCall:Incidents</c>.</summary>
public sealed record IncidentSettings
{
    /// <summary>The rotation of an alert that names none (no <c>team</c>/<c>rotation</c> label).</summary>
    public string? DefaultRotation { get; init; }

    public SeverityMap Severities { get; init; } = SeverityMap.Default;

    public Severity StatuspageThreshold { get; init; } = Severity.Major;

    public Severity PostMortemThreshold { get; init; } = Severity.Major;

    /// <summary>
    /// How long a worker's claim on an external step holds before another may take it over (a crashed worker); longer
    /// than a step can take (a post-mortem is up to six GitHub calls of at most 30 s each).
    /// </summary>
    public Duration ClaimLease { get; init; } = Duration.FromMinutes(5);

    /// <summary>How long Statuspage may still show a resolved incident open before the commander is reminded.</summary>
    public Duration StatuspageReminderAfter { get; init; } = Duration.FromMinutes(30);

    public int PostMortemDueBusinessDays { get; init; } = 5;

    /// <summary>Markdown with <c>{{placeholders}}</c> (see <see cref="PostMortemWriter"/>); null for the built-in one.</summary>
    public string? PostMortemTemplate { get; init; }
}
