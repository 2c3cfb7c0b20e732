using OnCall.Core.Jobs;

namespace OnCall.Core.Incidents;

/// <summary>Something happened to an incident; the queue function brings Statuspage and GitHub in line with it.</summary>
public sealed record IncidentEvent(string IncidentId, string Kind);

public static class IncidentQueues
{
    public static readonly WorkQueueName<IncidentEvent> Events = new("incident-events");
}
