using System.Diagnostics;
using Microsoft.Azure.Functions.Worker;
using OnCall.Core.Diagnostics;
using OnCall.Core.Incidents;
using OnCall.Core.Jobs;
using OnCall.Core.TimeOff;

namespace OnCall.Functions.Jobs;

/// <summary>
/// The queue functions. The queue is <c>{OnCall__Storage__Prefix}-{name}</c>; the message arrives as a POCO read from
/// its JSON, and <c>id</c> and <c>dequeueCount</c> come from the trigger's metadata (<c>Id</c>, <c>DequeueCount</c>).
/// Throwing leaves the message for another try; after five it moves to <c>{queue}-poison</c> (host.json).
/// </summary>
public sealed class QueueFunctions(
    ProcessIncidentEventJob processIncidentEvent,
    CheckRotationCoverageJob checkRotationCoverage,
    PoisonCount poisonCount)
{
    /// <summary>Its span continues the trace of the request that queued the event (<see cref="IncidentEvent.TraceParent"/>).</summary>
    [Function(nameof(ProcessIncidentEvent))]
    public Task ProcessIncidentEvent(
        [QueueTrigger("%OnCall__Storage__Prefix%-incident-events", Connection = "AzureWebJobsStorage")] IncidentEvent message,
        string id,
        long dequeueCount,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        return Traced.RunAsync(
            nameof(ProcessIncidentEvent),
            async () =>
            {
                OnCallTelemetry.Tag(OnCallTelemetry.IncidentAttribute, message.IncidentId);
                await poisonCount.CountingAsync(
                    nameof(ProcessIncidentEvent),
                    dequeueCount,
                    () => processIncidentEvent.HandleAsync(new WorkItem<IncidentEvent>(id, message, dequeueCount), cancellationToken));
            },
            ActivityKind.Consumer,
            message.TraceParent,
            message.TraceState);
    }

    [Function(nameof(CheckRotationCoverage))]
    public Task CheckRotationCoverage(
        [QueueTrigger("%OnCall__Storage__Prefix%-coverage-checks", Connection = "AzureWebJobsStorage")] CoverageCheck message,
        string id,
        long dequeueCount,
        CancellationToken cancellationToken) =>
        Traced.RunAsync(
            nameof(CheckRotationCoverage),
            () => poisonCount.CountingAsync(
                nameof(CheckRotationCoverage),
                dequeueCount,
                () => checkRotationCoverage.HandleAsync(new WorkItem<CoverageCheck>(id, message, dequeueCount), cancellationToken)),
            ActivityKind.Consumer);
}
