using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using OnCall.Core.Handoffs;
using OnCall.Core.Rotations;
using OnCall.Core.Time;
using OnCall.Core.TimeOff;
using OnCall.Functions.Catalogue;

namespace OnCall.Functions.Http;

/// <summary>Rotations, shifts, who is on call, and overrides.</summary>
public sealed class RotationFunctions(HttpEdge edge, RotationService rotations, TimeOffService timeOff, HandoffService handoffs, FeedLinks feedLinks, TimeProvider clock)
{
    [Function(nameof(ListRotations))]
    public Task<IActionResult> ListRotations(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = "rotations")] HttpRequest request,
        CancellationToken cancellationToken) =>
        edge.RunAsync(request, Access.Read, async () =>
            Results.Ok((await rotations.ListAsync(cancellationToken)).Select(a => Contracts.ToResponse(a.Rotation, null, clock.GetCurrentInstant()))));

    [Function(nameof(GetRotation))]
    public Task<IActionResult> GetRotation(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = "rotations/{id}")] HttpRequest request,
        string id,
        CancellationToken cancellationToken) =>
        edge.RunAsync(request, Access.Read, async () =>
        {
            var aggregate = await rotations.GetAsync(id, cancellationToken);
            var away = await timeOff.ListAsync(id, cancellationToken);
            return Results.Ok(Contracts.ToResponse(aggregate.Rotation, aggregate.Overrides, clock.GetCurrentInstant()) with
            {
                TimeOff = [.. away.Select(TimeOffContracts.ToResponse)],
            });
        });

    [Function(nameof(PutRotation))]
    public Task<IActionResult> PutRotation(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "rotations/{id}")] HttpRequest request,
        string id,
        CancellationToken cancellationToken) =>
        edge.RunAsync(request, Access.Admin, async () =>
        {
            var settings = (await RequestBody.ReadAsync<RotationRequest>(request, cancellationToken)).ToSettings(RotationRules.RequireId(id, "id"));

            // A client that gave up must not get a rotation whose feed token nobody saw: a create stores it last.
            using var aborted = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, request.HttpContext.RequestAborted);
            var saved = await rotations.PutAsync(settings, aborted.Token);
            var response = Contracts.ToResponse(saved.Rotation, null, clock.GetCurrentInstant());
            if (!saved.Created)
            {
                return Results.Ok(response);
            }

            // The feed token is shown once, now; only its hash is stored.
            return Results.Created(
                $"/{HttpFunction.RoutePrefix}/rotations/{id}",
                response with { FeedToken = saved.FeedToken, FeedUrl = feedLinks.FeedUrl(id, saved.FeedToken!) });
        });

    [Function(nameof(DeleteRotation))]
    public Task<IActionResult> DeleteRotation(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "rotations/{id}")] HttpRequest request,
        string id,
        CancellationToken cancellationToken) =>
        edge.RunAsync(request, Access.Admin, async () =>
        {
            // Time off first: if the rotation's deletion then fails, a repeated DELETE still finds it and finishes.
            await timeOff.DeleteAllAsync(id, cancellationToken);
            await rotations.DeleteAsync(id, cancellationToken);
            return Results.NoContent();
        });

    [Function(nameof(GetShifts))]
    public Task<IActionResult> GetShifts(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = "rotations/{id}/shifts")] HttpRequest request,
        string id,
        CancellationToken cancellationToken) =>
        edge.RunAsync(request, Access.Read, async () =>
        {
            var start = WireFormat.QueryInstant(WireFormat.Query(request, "from"), "from") ?? clock.GetCurrentInstant();
            var shifts = await rotations.GetShiftsAsync(id, start, WireFormat.QueryInstant(WireFormat.Query(request, "to"), "to"), cancellationToken);
            return Results.Ok(shifts.Select(Contracts.ToResponse));
        });

    [Function(nameof(GetOnCall))]
    public Task<IActionResult> GetOnCall(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = "rotations/{id}/oncall")] HttpRequest request,
        string id,
        CancellationToken cancellationToken) =>
        edge.RunAsync(request, Access.Read, async () =>
        {
            var at = WireFormat.QueryInstant(WireFormat.Query(request, "at"), "at") ?? clock.GetCurrentInstant();
            var snapshot = await rotations.GetOnCallAsync(id, at, cancellationToken);
            var holdovers = await handoffs.HoldoversAsync(id, snapshot.Shifts, cancellationToken);
            return Results.Ok(new OnCallResponse(id, snapshot.At, [.. snapshot.Shifts.Select(s =>
                holdovers.TryGetValue(s.Layer, out var missed)
                    ? Contracts.ToResponse(s) with { Member = Contracts.ToResponse(missed.Outgoing), Holdover = true, HandoffId = missed.Id }
                    : Contracts.ToResponse(s))]));
        });

    [Function(nameof(AddOverride))]
    public Task<IActionResult> AddOverride(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "rotations/{id}/overrides")] HttpRequest request,
        string id,
        CancellationToken cancellationToken) =>
        edge.RunAsync(request, Access.Admin, async () =>
        {
            var spec = (await RequestBody.ReadAsync<OverrideRequest>(request, cancellationToken)).ToSpec();
            var added = await rotations.AddOverrideAsync(id, spec, cancellationToken);
            return Results.Created($"/{HttpFunction.RoutePrefix}/rotations/{id}/overrides/{added.Id}", Contracts.ToResponse(added));
        });

    [Function(nameof(DeleteOverride))]
    public Task<IActionResult> DeleteOverride(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "rotations/{id}/overrides/{overrideId}")] HttpRequest request,
        string id,
        string overrideId,
        CancellationToken cancellationToken) =>
        edge.RunAsync(request, Access.Admin, async () =>
        {
            await rotations.RemoveOverrideAsync(id, overrideId, cancellationToken);
            return Results.NoContent();
        });
}
