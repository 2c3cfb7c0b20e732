using OnCall.Core.Jobs;

namespace OnCall.Core.Incidents;

/// <summary>
/// Something happened to an incident; the queue function brings Statuspage and GitHub in line with it.
/// <see cref="TraceParent"/> and <see cref="TraceState"/> carry the W3C trace context of the request that queued it, so
/// the webhook, every run of the queue function and the calls they make are one trace.
/// </summary>
public sealed record IncidentEvent(string IncidentId, string Kind, string? TraceParent = null, string? TraceState = null);

public static class IncidentQueues
{
    public static readonly WorkQueueName<IncidentEvent> Events = new("incident-events");
}
