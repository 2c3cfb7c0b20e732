using OnCall.Core.Jobs;

namespace OnCall.Core.Incidents;

/// <summary>
/// Something happened to an incident; the queue function brings Statuspage and GitHub in line with it.
/// <see cref="TraceParent"/> and <see cref="TraceState"/> carry the W3C trace context of the request that queued it, so
/// the webhook, every run of the queue function and the calls they make are one trace.
/// </summary>
/// <remarks>
/// <see cref="Kind"/> says what queued it; processing reads only whether it is <see cref="Alert"/>.
/// </remarks>
public sealed record IncidentEvent(string IncidentId, string Kind, string? TraceParent = null, string? TraceState = null)
{
    public const string Opened = "opened";

    /// <summary>The alert came again: its processing also lists the incident, in case the opening failed to.</summary>
    public const string Alert = "alert";

    public const string Resolved = "resolved";

    public const string Status = "status";
}

public static class IncidentQueues
{
    public static readonly WorkQueueName<IncidentEvent> Events = new("incident-events");
}
