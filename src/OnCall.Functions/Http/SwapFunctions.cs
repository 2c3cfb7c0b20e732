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
    public Task<IActionResult> RequestSwap(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "rotations/{id}/swaps")] HttpRequest request,
        string id,
        CancellationToken cancellationToken) =>
        edge.RunAsync(request, Access.Admin, async () =>
        {
            var spec = (await RequestBody.ReadAsync<SwapCreateRequest>(request, cancellationToken)).ToSpec();
            var swap = await swaps.CreateAsync(id, spec, cancellationToken);
            return Results.Created($"/{HttpFunction.RoutePrefix}/swaps/{swap.Id}", SwapContracts.ToResponse(swap));
        });

    [Function(nameof(ListSwaps))]
    public Task<IActionResult> ListSwaps(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = "swaps")] HttpRequest request,
        CancellationToken cancellationToken) =>
        edge.RunAsync(request, Access.Read, async () =>
        {
            var status = SwapContracts.ParseStatus(WireFormat.Query(request, "status"));
            var list = await swaps.ListAsync(status, WireFormat.Query(request, "rotation"), cancellationToken);
            return Results.Ok(list.Select(SwapContracts.ToResponse));
        });

    [Function(nameof(GetSwap))]
    public Task<IActionResult> GetSwap(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = "swaps/{id}")] HttpRequest request,
        string id,
        CancellationToken cancellationToken) =>
        edge.RunAsync(request, Access.Read, async () => Results.Ok(SwapContracts.ToResponse(await swaps.GetAsync(id, cancellationToken))));

    [Function(nameof(AcceptSwap))]
    public Task<IActionResult> AcceptSwap(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "swaps/{id}/accept")] HttpRequest request,
        string id,
        CancellationToken cancellationToken) =>
        ActAsync(request, id, (by, ct) => swaps.AcceptAsync(id, by, ct), cancellationToken);

    [Function(nameof(ApproveSwap))]
    public Task<IActionResult> ApproveSwap(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "swaps/{id}/approve")] HttpRequest request,
        string id,
        CancellationToken cancellationToken) =>
        ActAsync(request, id, (by, ct) => swaps.ApproveAsync(id, by, ct), cancellationToken);

    [Function(nameof(DeclineSwap))]
    public Task<IActionResult> DeclineSwap(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "swaps/{id}/decline")] HttpRequest request,
        string id,
        CancellationToken cancellationToken) =>
        ActAsync(request, id, (by, ct) => swaps.DeclineAsync(id, by, ct), cancellationToken);

    /// <summary>With the admin key any request may be cancelled; <c>by</c> records who did it.</summary>
    [Function(nameof(CancelSwap))]
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
            return Results.Ok(SwapContracts.ToResponse(await act(WireFormat.Text(body.By), cancellationToken)));
        },
            function);
}
