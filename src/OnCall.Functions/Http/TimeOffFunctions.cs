using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using OnCall.Core.Time;
using OnCall.Core.TimeOff;
using OnCall.Functions.Catalogue;

namespace OnCall.Functions.Http;

/// <summary>Time off of a rotation's members, and the coverage problems it and the schedule leave.</summary>
public sealed class TimeOffFunctions(HttpEdge edge, TimeOffService timeOff, CoverageService coverage, TimeProvider clock)
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

    [Function(nameof(GetCoverage))]
    public Task<IActionResult> GetCoverage(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = "rotations/{id}/coverage")] HttpRequest request,
        string id,
        CancellationToken cancellationToken) =>
        edge.RunAsync(request, Access.Read, async () =>
        {
            var from = WireFormat.QueryInstant(WireFormat.Query(request, "from"), "from") ?? clock.GetCurrentInstant();
            var to = WireFormat.QueryInstant(WireFormat.Query(request, "to"), "to") ?? from + CoverageService.DefaultRange;
            var problems = await coverage.GetAsync(id, from, to, cancellationToken);
            return Results.Ok(new CoverageResponse(id, from, to, [.. problems.Select(TimeOffContracts.ToResponse)]));
        });
}
