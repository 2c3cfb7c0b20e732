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
    [EndpointSummary("Record time off")]
    [ApiKey(Access.Admin)]
    [JsonBody(typeof(TimeOffRequest))]
    [EndpointDescription("member is the email of someone in any layer (else 400 naming member), at most a year. The shifts do not change.")]
    [Answers(201, typeof(TimeOffResponse), "Recorded.")]
    [Problem(404, "No rotation with this id.")]
    public Task<IActionResult> AddTimeOff(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "rotations/{id}/time-off")] HttpRequest request,
        string id,
        CancellationToken cancellationToken) =>
        edge.RunAsync(request, Access.Admin, async () =>
        {
            var spec = (await RequestBody.ReadAsync<TimeOffRequest>(request, cancellationToken)).ToSpec();
            var added = await timeOff.AddAsync(id, spec, cancellationToken);
            return TypedResults.Created(
                $"/{HttpFunction.RoutePrefix}/rotations/{id}/time-off/{added.Id}",
                TimeOffContracts.ToResponse(added));
        });

    [Function(nameof(DeleteTimeOff))]
    [EndpointSummary("Delete time off")]
    [ApiKey(Access.Admin)]
    [Answers(204, typeof(void), "Deleted.")]
    [Problem(404, "No such rotation or time off.")]
    public Task<IActionResult> DeleteTimeOff(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "rotations/{id}/time-off/{timeOffId}")] HttpRequest request,
        string id,
        string timeOffId,
        CancellationToken cancellationToken) =>
        edge.RunAsync(request, Access.Admin, async () =>
        {
            await timeOff.RemoveAsync(id, timeOffId, cancellationToken);
            return TypedResults.NoContent();
        });

    [Function(nameof(GetCoverage))]
    [EndpointSummary("Coverage problems: conflicts with time off, and gaps")]
    [ApiKey(Access.Read)]
    [Query("from", "An instant; default now.")]
    [Query("to", "An instant; default from + 30 days, at most a year after from.")]
    [Answers(200, typeof(CoverageResponse), "The problems, ordered by start.")]
    [Problem(404, "No rotation with this id.")]
    public Task<IActionResult> GetCoverage(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = "rotations/{id}/coverage")] HttpRequest request,
        string id,
        CancellationToken cancellationToken) =>
        edge.RunAsync(request, Access.Read, async () =>
        {
            var from = WireFormat.QueryInstant(WireFormat.Query(request, "from"), "from") ?? clock.GetCurrentInstant();
            var to = WireFormat.QueryInstant(WireFormat.Query(request, "to"), "to") ?? from + CoverageService.DefaultRange;
            var problems = await coverage.GetAsync(id, from, to, cancellationToken);
            return TypedResults.Ok(new CoverageResponse(id, from, to, [.. problems.Select(TimeOffContracts.ToResponse)]));
        });
}
