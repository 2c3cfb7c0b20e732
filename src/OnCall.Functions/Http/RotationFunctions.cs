using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using OnCall.Core.Handoffs;
using OnCall.Core.Rotations;
using OnCall.Core.Time;
using OnCall.Core.TimeOff;
using OnCall.Functions.Catalogue;

namespace OnCall.Functions.Http;

/// <summary>Rotations, shifts, who is on call, and overrides.</summary>
public sealed class RotationFunctions(
    HttpEdge edge,
    RotationService rotations,
    TimeOffService timeOff,
    HandoffService handoffs,
    FeedLinks feedLinks,
    TimeProvider clock)
{
    [Function(nameof(ListRotations))]
    [EndpointSummary("List the rotations")]
    [ApiKey(Access.Read)]
    [Answers(200, typeof(RotationResponse[]), "The rotations, without their overrides.")]
    public Task<IActionResult> ListRotations(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = "rotations")] HttpRequest request,
        CancellationToken cancellationToken) =>
        edge.RunAsync(request, Access.Read, async () =>
            TypedResults.Ok((await rotations.ListAsync(cancellationToken))
                .Select(a => Contracts.ToResponse(a.Rotation, null, clock.GetCurrentInstant()))));

    [Function(nameof(GetRotation))]
    [EndpointSummary("Get a rotation")]
    [EndpointDescription("With its overrides, its timeOff and any pendingChanges.")]
    [ApiKey(Access.Read)]
    [Answers(200, typeof(RotationResponse), "The rotation.")]
    [Problem(404, "No rotation with this id.")]
    public Task<IActionResult> GetRotation(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = "rotations/{id}")] HttpRequest request,
        string id,
        CancellationToken cancellationToken) =>
        edge.RunAsync(request, Access.Read, async () =>
        {
            var aggregate = await rotations.GetAsync(id, cancellationToken);
            var away = await timeOff.ListAsync(id, cancellationToken);
            return TypedResults.Ok(Contracts.ToResponse(aggregate.Rotation, aggregate.Overrides, clock.GetCurrentInstant()) with
            {
                TimeOff = [.. away.Select(TimeOffContracts.ToResponse)],
            });
        });

    [Function(nameof(PutRotation))]
    [EndpointSummary("Create or replace a rotation")]
    [ApiKey(Access.Admin)]
    [JsonBody(typeof(RotationRequest))]
    [EndpointDescription("The same body again changes nothing and writes nothing (200). A create "
        + "stores the rotation last, so a client that gives up can retry.")]
    [Answers(200, typeof(RotationResponse), "Replaced, or unchanged.")]
    [Answers(201, typeof(RotationResponse), "Created, with feedToken and feedUrl, shown this once.")]
    [Problem(409, "Concurrent change: other requests changed the rotation between each "
        + "of three tries; nothing was written, send it again.")]
    public Task<IActionResult> PutRotation(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "rotations/{id}")] HttpRequest request,
        string id,
        CancellationToken cancellationToken) =>
        edge.RunAsync(request, Access.Admin, async () =>
        {
            var settings = (await RequestBody.ReadAsync<RotationRequest>(request, cancellationToken))
                .ToSettings(RotationRules.RequireId(id, "id"));

            // A client that gave up must not get a rotation whose feed token nobody saw: a create stores it last.
            using var aborted = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, request.HttpContext.RequestAborted);
            var saved = await rotations.PutAsync(settings, aborted.Token);
            var response = Contracts.ToResponse(saved.Rotation, null, clock.GetCurrentInstant());
            if (!saved.Created)
            {
                return TypedResults.Ok(response);
            }

            // The feed token is shown once, now; only its hash is stored.
            return TypedResults.Created(
                $"/{HttpFunction.RoutePrefix}/rotations/{id}",
                response with { FeedToken = saved.FeedToken, FeedUrl = feedLinks.FeedUrl(id, saved.FeedToken!) });
        });

    [Function(nameof(DeleteRotation))]
    [EndpointSummary("Delete a rotation")]
    [EndpointDescription("With its overrides, swap requests, time off, coverage notices and feed history.")]
    [ApiKey(Access.Admin)]
    [Answers(204, typeof(void), "Deleted.")]
    [Problem(404, "No rotation with this id.")]
    public Task<IActionResult> DeleteRotation(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "rotations/{id}")] HttpRequest request,
        string id,
        CancellationToken cancellationToken) =>
        edge.RunAsync(request, Access.Admin, async () =>
        {
            // Time off first: if the rotation's deletion then fails, a repeated DELETE still finds it and finishes.
            await timeOff.DeleteAllAsync(id, cancellationToken);
            await rotations.DeleteAsync(id, cancellationToken);
            return TypedResults.NoContent();
        });

    [Function(nameof(GetShifts))]
    [EndpointSummary("Computed shifts, overrides applied")]
    [ApiKey(Access.Read)]
    [Query("from", "An instant; default now.")]
    [Query("to", "An instant; default from + the rotation's horizon, at most a year after from.")]
    [Answers(200, typeof(ShiftResponse[]), "The shifts.")]
    [Problem(404, "No rotation with this id.")]
    public Task<IActionResult> GetShifts(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = "rotations/{id}/shifts")] HttpRequest request,
        string id,
        CancellationToken cancellationToken) =>
        edge.RunAsync(request, Access.Read, async () =>
        {
            var start = WireFormat.QueryInstant(WireFormat.Query(request, "from"), "from") ?? clock.GetCurrentInstant();
            var shifts = await rotations.GetShiftsAsync(
                id,
                start,
                WireFormat.QueryInstant(WireFormat.Query(request, "to"), "to"),
                cancellationToken);
            return TypedResults.Ok(shifts.Select(Contracts.ToResponse));
        });

    [Function(nameof(GetOnCall))]
    [EndpointSummary("Who is on call on each layer")]
    [ApiKey(Access.Read)]
    [Query("at", "An instant; default now.")]
    [EndpointDescription("While the handoff that began a shift is missed, the outgoing "
        + "engineer is shown with holdover true and its handoffId.")]
    [Answers(200, typeof(OnCallResponse), "Who is on call at that instant.")]
    [Problem(404, "No rotation with this id.")]
    public Task<IActionResult> GetOnCall(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = "rotations/{id}/oncall")] HttpRequest request,
        string id,
        CancellationToken cancellationToken) =>
        edge.RunAsync(request, Access.Read, async () =>
        {
            var at = WireFormat.QueryInstant(WireFormat.Query(request, "at"), "at") ?? clock.GetCurrentInstant();
            var snapshot = await rotations.GetOnCallAsync(id, at, cancellationToken);
            var holdovers = await handoffs.HoldoversAsync(id, snapshot.Shifts, cancellationToken);
            return TypedResults.Ok(new OnCallResponse(id, snapshot.At, [.. snapshot.Shifts.Select(s =>
                holdovers.TryGetValue(s.Layer, out var missed)
                    ? Contracts.ToResponse(s) with
                    {
                        Member = Contracts.ToResponse(missed.Outgoing),
                        Holdover = true,
                        HandoffId = missed.Id,
                    }
                    : Contracts.ToResponse(s))]));
        });

    [Function(nameof(AddOverride))]
    [EndpointSummary("Add an override")]
    [ApiKey(Access.Admin)]
    [JsonBody(typeof(OverrideRequest))]
    [Answers(201, typeof(OverrideResponse), "Added.")]
    [Problem(404, "No rotation with this id.")]
    [Problem(409, "It overlaps an override on the same layer.")]
    public Task<IActionResult> AddOverride(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "rotations/{id}/overrides")] HttpRequest request,
        string id,
        CancellationToken cancellationToken) =>
        edge.RunAsync(request, Access.Admin, async () =>
        {
            var spec = (await RequestBody.ReadAsync<OverrideRequest>(request, cancellationToken)).ToSpec();
            var added = await rotations.AddOverrideAsync(id, spec, cancellationToken);
            return TypedResults.Created($"/{HttpFunction.RoutePrefix}/rotations/{id}/overrides/{added.Id}", Contracts.ToResponse(added));
        });

    [Function(nameof(DeleteOverride))]
    [EndpointSummary("Delete an override")]
    [ApiKey(Access.Admin)]
    [Answers(204, typeof(void), "Deleted.")]
    [Problem(404, "No such rotation or override.")]
    public Task<IActionResult> DeleteOverride(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "rotations/{id}/overrides/{overrideId}")] HttpRequest request,
        string id,
        string overrideId,
        CancellationToken cancellationToken) =>
        edge.RunAsync(request, Access.Admin, async () =>
        {
            await rotations.RemoveOverrideAsync(id, overrideId, cancellationToken);
            return TypedResults.NoContent();
        });
}
