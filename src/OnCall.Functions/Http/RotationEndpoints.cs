using OnCall.Core.Handoffs;
using OnCall.Core.Rotations;
using OnCall.Core.Time;
using OnCall.Functions.Catalogue;

namespace OnCall.Functions.Http;

/// <summary>Rotations, shifts, who is on call, and overrides.</summary>
public static class RotationEndpoints
{
    public static void MapRotationEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapFunction(FunctionCatalogue.ListRotations, async (RotationService rotations, TimeProvider clock, CancellationToken cancellationToken) =>
            Results.Ok((await rotations.ListAsync(cancellationToken)).Select(a => Contracts.ToResponse(a.Rotation, null, clock.GetCurrentInstant()))));

        app.MapFunction(FunctionCatalogue.GetRotation, async (string id, RotationService rotations, TimeProvider clock, CancellationToken cancellationToken) =>
        {
            var aggregate = await rotations.GetAsync(id, cancellationToken);
            return Results.Ok(Contracts.ToResponse(aggregate.Rotation, aggregate.Overrides, clock.GetCurrentInstant()));
        });

        app.MapFunction(FunctionCatalogue.PutRotation, async (string id, HttpRequest request, RotationService rotations, TimeProvider clock, CancellationToken cancellationToken) =>
        {
            var settings = (await RequestBody.ReadAsync<RotationRequest>(request, cancellationToken)).ToSettings(RotationRules.RequireId(id, "id"));
            var saved = await rotations.PutAsync(settings, cancellationToken);
            var response = Contracts.ToResponse(saved.Rotation, null, clock.GetCurrentInstant());
            if (!saved.Created)
            {
                return Results.Ok(response);
            }

            // The feed token is shown once, now; only its hash is stored.
            return Results.Created(
                $"/{HttpFunction.RoutePrefix}/rotations/{id}",
                response with { FeedToken = saved.FeedToken, FeedUrl = FeedEndpoints.FeedUrl(request, id, saved.FeedToken!) });
        });

        app.MapFunction(FunctionCatalogue.DeleteRotation, async (string id, RotationService rotations, CancellationToken cancellationToken) =>
        {
            await rotations.DeleteAsync(id, cancellationToken);
            return Results.NoContent();
        });

        app.MapFunction(FunctionCatalogue.GetShifts, async (string id, string? from, string? to, RotationService rotations, TimeProvider clock, CancellationToken cancellationToken) =>
        {
            var start = WireFormat.QueryInstant(from, "from") ?? clock.GetCurrentInstant();
            var shifts = await rotations.GetShiftsAsync(id, start, WireFormat.QueryInstant(to, "to"), cancellationToken);
            return Results.Ok(shifts.Select(Contracts.ToResponse));
        });

        app.MapFunction(FunctionCatalogue.GetOnCall, async (string id, string? at, RotationService rotations, HandoffService handoffs, TimeProvider clock, CancellationToken cancellationToken) =>
        {
            var snapshot = await rotations.GetOnCallAsync(id, WireFormat.QueryInstant(at, "at") ?? clock.GetCurrentInstant(), cancellationToken);
            var holdovers = await handoffs.HoldoversAsync(id, snapshot.Shifts, cancellationToken);
            return Results.Ok(new OnCallResponse(id, Contracts.Format(snapshot.At), [.. snapshot.Shifts.Select(s =>
                holdovers.TryGetValue(s.Layer, out var missed)
                    ? Contracts.ToResponse(s) with { Member = Contracts.ToResponse(missed.Outgoing), Holdover = true, HandoffId = missed.Id }
                    : Contracts.ToResponse(s))]));
        });

        app.MapFunction(FunctionCatalogue.AddOverride, async (string id, HttpRequest request, RotationService rotations, CancellationToken cancellationToken) =>
        {
            var spec = (await RequestBody.ReadAsync<OverrideRequest>(request, cancellationToken)).ToSpec();
            var added = await rotations.AddOverrideAsync(id, spec, cancellationToken);
            return Results.Created($"/{HttpFunction.RoutePrefix}/rotations/{id}/overrides/{added.Id}", Contracts.ToResponse(added));
        });

        app.MapFunction(FunctionCatalogue.DeleteOverride, async (string id, string overrideId, RotationService rotations, CancellationToken cancellationToken) =>
        {
            await rotations.RemoveOverrideAsync(id, overrideId, cancellationToken);
            return Results.NoContent();
        });
    }
}
