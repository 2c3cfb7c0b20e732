using NodaTime;
using OnCall.Core.Rotations;
using OnCall.Functions.Catalogue;

namespace OnCall.Functions.Http;

/// <summary>Rotations, shifts, who is on call, and overrides.</summary>
public static class RotationEndpoints
{
    public static void MapRotationEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapFunction(FunctionCatalogue.ListRotations, async (RotationService rotations, TimeProvider clock, CancellationToken cancellationToken) =>
            Results.Ok((await rotations.ListAsync(cancellationToken)).OrderBy(r => r.Id, StringComparer.Ordinal).Select(r => Contracts.ToResponse(r, null, Now(clock)))));

        app.MapFunction(FunctionCatalogue.GetRotation, async (string id, RotationService rotations, TimeProvider clock, CancellationToken cancellationToken) =>
        {
            var aggregate = await rotations.GetAsync(id, cancellationToken);
            return Results.Ok(Contracts.ToResponse(aggregate.Rotation, aggregate.Overrides, Now(clock)));
        });

        app.MapFunction(FunctionCatalogue.PutRotation, async (string id, HttpRequest request, RotationService rotations, TimeProvider clock, CancellationToken cancellationToken) =>
        {
            var input = await RequestBody.ReadAsync<RotationInput>(request, cancellationToken);
            var saved = await rotations.PutAsync(id, input, cancellationToken);
            var response = Contracts.ToResponse(saved.Rotation, null, Now(clock));
            if (!saved.Created)
            {
                return Results.Ok(response);
            }

            // The feed token is shown once, now; only its hash is stored.
            return Results.Created(
                $"/{HttpFunction.RoutePrefix}/rotations/{id}",
                response with { FeedToken = saved.FeedToken, FeedUrl = FeedEndpoints.FeedUrl(request, id, saved.FeedToken!) });
        });

        app.MapFunction(FunctionCatalogue.GetShifts, async (string id, string? from, string? to, RotationService rotations, CancellationToken cancellationToken) =>
            Results.Ok((await rotations.GetShiftsAsync(id, from, to, cancellationToken)).Select(Contracts.ToResponse)));

        app.MapFunction(FunctionCatalogue.GetOnCall, async (string id, string? at, RotationService rotations, CancellationToken cancellationToken) =>
        {
            var snapshot = await rotations.GetOnCallAsync(id, at, cancellationToken);
            return Results.Ok(new OnCallResponse(id, Contracts.Format(snapshot.At), [.. snapshot.Shifts.Select(Contracts.ToResponse)]));
        });

        app.MapFunction(FunctionCatalogue.AddOverride, async (string id, HttpRequest request, RotationService rotations, CancellationToken cancellationToken) =>
        {
            var input = await RequestBody.ReadAsync<OverrideInput>(request, cancellationToken);
            var added = await rotations.AddOverrideAsync(id, input, cancellationToken);
            return Results.Created($"/{HttpFunction.RoutePrefix}/rotations/{id}/overrides/{added.Id}", Contracts.ToResponse(added));
        });

        app.MapFunction(FunctionCatalogue.DeleteOverride, async (string id, string overrideId, RotationService rotations, CancellationToken cancellationToken) =>
        {
            await rotations.RemoveOverrideAsync(id, overrideId, cancellationToken);
            return Results.NoContent();
        });
    }

    private static Instant Now(TimeProvider clock) => Instant.FromDateTimeOffset(clock.GetUtcNow());
}
