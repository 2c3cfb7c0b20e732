using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using OnCall.Core.Swaps;
using OnCall.Functions.Catalogue;

namespace OnCall.Functions.Http;

/// <summary>Shift swap requests with a key: make, list, read, accept, approve, decline, cancel.</summary>
public sealed class SwapFunctions(HttpEdge edge, SwapService swaps)
{
    [Function(nameof(RequestSwap))]
    [EndpointSummary("Offer a shift for swapping")]
    [ApiKey(Access.Admin)]
    [JsonBody(typeof(SwapCreateRequest))]
    [Answers(201, typeof(SwapResponse), "Offered; everyone it is offered to gets a Take this shift message.")]
    [Problem(404, "No rotation with this id.")]
    [Problem(409, "It overlaps an open request or an override (field start).")]
    public Task<IActionResult> RequestSwap(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "rotations/{id}/swaps")] HttpRequest request,
        string id,
        CancellationToken cancellationToken) =>
        edge.RunAsync(request, Access.Admin, async () =>
        {
            var spec = (await RequestBody.ReadAsync<SwapCreateRequest>(request, cancellationToken)).ToSpec();
            var swap = await swaps.CreateAsync(id, spec, cancellationToken);
            return TypedResults.Created($"/{HttpFunction.RoutePrefix}/swaps/{swap.Id}", SwapContracts.ToResponse(swap));
        });

    [Function(nameof(ListSwaps))]
    [EndpointSummary("List swap requests")]
    [ApiKey(Access.Read)]
    [Query("status", "open, pending-approval, accepted, declined, cancelled or expired.")]
    [Query("rotation", "A rotation's id.")]
    [Answers(200, typeof(SwapResponse[]), "The requests, ordered by start.")]
    public Task<IActionResult> ListSwaps(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = "swaps")] HttpRequest request,
        CancellationToken cancellationToken) =>
        edge.RunAsync(request, Access.Read, async () =>
        {
            var status = SwapContracts.ParseStatus(WireFormat.Query(request, "status"));
            var list = await swaps.ListAsync(status, WireFormat.Query(request, "rotation"), cancellationToken);
            return TypedResults.Ok(list.Select(SwapContracts.ToResponse));
        });

    [Function(nameof(GetSwap))]
    [EndpointSummary("Get a swap request")]
    [ApiKey(Access.Read)]
    [Answers(200, typeof(SwapResponse), "The request.")]
    [Problem(404, "No swap request with this id.")]
    public Task<IActionResult> GetSwap(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = "swaps/{id}")] HttpRequest request,
        string id,
        CancellationToken cancellationToken) =>
        edge.RunAsync(request, Access.Read, async () =>
            TypedResults.Ok(SwapContracts.ToResponse(await swaps.GetAsync(id, cancellationToken))));

    [Function(nameof(AcceptSwap))]
    [EndpointSummary("Accept a swap request (by one it is offered to)")]
    [ApiKey(Access.Admin)]
    [JsonBody(typeof(SwapActionRequest))]
    [Answers(200, typeof(SwapResponse), "The request, changed.")]
    [Problem(404, "No swap request with this id.")]
    [Problem(409, "Already taken, settled or past its start (field id).")]
    public Task<IActionResult> AcceptSwap(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "swaps/{id}/accept")] HttpRequest request,
        string id,
        CancellationToken cancellationToken) =>
        ActAsync(request, id, (by, ct) => swaps.AcceptAsync(id, by, ct), cancellationToken);

    [Function(nameof(ApproveSwap))]
    [EndpointSummary("Approve a taken swap request (by the supervisor)")]
    [ApiKey(Access.Admin)]
    [JsonBody(typeof(SwapActionRequest))]
    [Answers(200, typeof(SwapResponse), "The request, changed.")]
    [Problem(404, "No swap request with this id.")]
    [Problem(409, "Already taken, settled or past its start (field id).")]
    public Task<IActionResult> ApproveSwap(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "swaps/{id}/approve")] HttpRequest request,
        string id,
        CancellationToken cancellationToken) =>
        ActAsync(request, id, (by, ct) => swaps.ApproveAsync(id, by, ct), cancellationToken);

    [Function(nameof(DeclineSwap))]
    [EndpointSummary("Decline a taken swap request (by the supervisor)")]
    [ApiKey(Access.Admin)]
    [JsonBody(typeof(SwapActionRequest))]
    [Answers(200, typeof(SwapResponse), "The request, changed.")]
    [Problem(404, "No swap request with this id.")]
    [Problem(409, "Already taken, settled or past its start (field id).")]
    public Task<IActionResult> DeclineSwap(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "swaps/{id}/decline")] HttpRequest request,
        string id,
        CancellationToken cancellationToken) =>
        ActAsync(request, id, (by, ct) => swaps.DeclineAsync(id, by, ct), cancellationToken);

    /// <summary>With the admin key any request may be cancelled; <c>by</c> records who did it.</summary>
    [Function(nameof(CancelSwap))]
    [EndpointSummary("Withdraw an open or unapproved swap request")]
    [ApiKey(Access.Admin)]
    [JsonBody(typeof(SwapActionRequest))]
    [Answers(200, typeof(SwapResponse), "The request, changed.")]
    [Problem(404, "No swap request with this id.")]
    [Problem(409, "Already taken, settled or past its start (field id).")]
    public Task<IActionResult> CancelSwap(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "swaps/{id}/cancel")] HttpRequest request,
        string id,
        CancellationToken cancellationToken) =>
        ActAsync(request, id, (by, ct) => swaps.CancelAsync(id, by, asAdmin: true, ct), cancellationToken);

    private Task<IActionResult> ActAsync(
        HttpRequest request,
        string id,
        Func<string, CancellationToken, Task<SwapRequest>> act,
        CancellationToken cancellationToken,
        [CallerMemberName] string function = "") =>
        edge.RunAsync(
            request,
            Access.Admin,
            async () =>
        {
            SwapService.RequireId(id);
            var body = await RequestBody.ReadAsync<SwapActionRequest>(request, cancellationToken);
            return TypedResults.Ok(SwapContracts.ToResponse(await act(WireFormat.Text(body.By), cancellationToken)));
        },
            function);
}
