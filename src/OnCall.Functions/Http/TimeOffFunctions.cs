using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using OnCall.Core.TimeOff;
using OnCall.Functions.Catalogue;

namespace OnCall.Functions.Http;

/// <summary>Time off of a rotation's members.</summary>
public sealed class TimeOffFunctions(HttpEdge edge, TimeOffService timeOff)
{
    [Function(nameof(AddTimeOff))]
    public Task<IActionResult> AddTimeOff(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "rotations/{id}/time-off")] HttpRequest request,
        string id,
        CancellationToken cancellationToken) =>
        edge.RunAsync(request, Access.Admin, async () =>
        {
            var spec = (await RequestBody.ReadAsync<TimeOffRequest>(request, cancellationToken)).ToSpec();
            var added = await timeOff.AddAsync(id, spec, cancellationToken);
            return Results.Created($"/{HttpFunction.RoutePrefix}/rotations/{id}/time-off/{added.Id}", TimeOffContracts.ToResponse(added));
        });

    [Function(nameof(DeleteTimeOff))]
    public Task<IActionResult> DeleteTimeOff(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "rotations/{id}/time-off/{timeOffId}")] HttpRequest request,
        string id,
        string timeOffId,
        CancellationToken cancellationToken) =>
        edge.RunAsync(request, Access.Admin, async () =>
        {
            await timeOff.RemoveAsync(id, timeOffId, cancellationToken);
            return Results.NoContent();
        });
}
