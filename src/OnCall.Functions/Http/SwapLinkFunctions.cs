using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using NodaTime;
using OnCall.Core.Errors;
using OnCall.Core.Handoffs;
using OnCall.Core.Ports;
using OnCall.Core.Rotations;
using OnCall.Core.Swaps;
using OnCall.Core.Time;
using OnCall.Infrastructure.Swaps;

namespace OnCall.Functions.Http;

/// <summary>
/// The swap flow's signed links, opened from chat: anonymous, because the HMAC signature in the query protects them.
/// As with acknowledge links, a GET (or HEAD) only shows a page; its button POSTs the same query, and only that acts.
/// </summary>
public sealed class SwapLinkFunctions(HttpEdge edge, SwapService swaps, SwapLinks links, RotationService rotations, TimeProvider clock)
{
    /// <summary>The requester's link from a coverage notice: offer that shift to the layer's other members.</summary>
    [Function(nameof(OfferShiftByLink))]
    [EndpointSummary("The signed Offer this shift link")]
    [Query("layer", "The layer.", Required = true)]
    [Query("start", "The span's start.", Required = true)]
    [Query("end", "The span's end.", Required = true)]
    [Query("e", "The email the link was signed for.", Required = true)]
    [Query("exp", "The link's expiry (Unix seconds).", Required = true)]
    [Query("sig", "The link's HMAC-SHA256 signature.", Required = true)]
    [Answers(200, typeof(string), "An HTML page: GET shows what would be offered; a POST that offers answers 201.", "text/html")]
    [Answers(201, typeof(string), "An HTML page: offered, with a link to withdraw it.", "text/html")]
    [Answers(403, typeof(string), "An HTML page: the link was changed, has expired, or signed links are switched off.", "text/html")]
    [Answers(400, typeof(string), "An HTML page: the action was refused as the API would refuse it.", "text/html")]
    [Answers(404, typeof(string), "An HTML page: the swap request or rotation does not exist.", "text/html")]
    [Answers(409, typeof(string), "An HTML page: it is already taken, settled or past its start.", "text/html")]
    public Task<IActionResult> OfferShiftByLink(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", "post", Route = "rotations/{id}/swaps/offer")] HttpRequest request,
        string id,
        CancellationToken cancellationToken) =>
        edge.RunAsync(request, Access.Anonymous, async () =>
        {
            LinkPage.ProtectQuery(request);
            var (layer, start, end, email) = (
                WireFormat.Query(request, "layer"),
                WireFormat.Query(request, "start"),
                WireFormat.Query(request, "end"),
                WireFormat.Query(request, "e"));
            var check = links.CheckOffer(
                id,
                layer,
                start,
                end,
                email,
                WireFormat.Query(request, "exp"),
                WireFormat.Query(request, "sig"),
                clock.GetCurrentInstant());
            var span = check == LinkCheck.Valid ? ParseSpan(start, end) : null;
            if (span is not { } signed)
            {
                return LinkPage.Refused(
                    check == LinkCheck.Valid ? LinkCheck.Invalid : check,
                    "The shift has started; ask an admin for an override.");
            }

            var (from, to) = signed;

            try
            {
                var rotation = (await rotations.GetAsync(id, cancellationToken)).Rotation;
                var summary = $"your {layer} shift of {rotation.Settings.Name} from {HandoffMessages.Local(from, rotation)} "
                    + $"to {HandoffMessages.Local(to, rotation)}";
                if (!HttpMethods.IsPost(request.Method))
                {
                    return LinkPage.Render(
                        200,
                        "Offer your shift",
                        $"Offer {summary} to your teammates? The first to take it covers you.",
                        new LinkButton("Offer this shift", $"offer{request.QueryString}"));
                }

                var swap = await swaps.CreateAsync(id, new SwapSpec(layer!, from, to, email!, null), cancellationToken);
                var withdraw = links.CancelLink(swap, email!);
                return LinkPage.Render(
                    201,
                    "Shift offered",
                    $"You offered {summary} to {string.Join(", ", swap.OfferedTo.Select(m => m.Name))}. You will be told when "
                    + "someone takes it.",
                    withdraw is null ? [] : [new LinkButton("Withdraw the request", withdraw.ToString())]);
            }
            catch (OnCallException exception)
            {
                return LinkPage.Render(LinkPage.StatusOf(exception), "Shift not offered", exception.Message);
            }
        });

    /// <summary>"Take this shift", for one the request is offered to.</summary>
    [Function(nameof(TakeSwapByLink))]
    [EndpointSummary("The signed Take this shift link")]
    [Query("e", "The email the link was signed for.", Required = true)]
    [Query("exp", "The link's expiry (Unix seconds).", Required = true)]
    [Query("sig", "The link's HMAC-SHA256 signature.", Required = true)]
    [Answers(200, typeof(string), "An HTML page: GET shows the request; POST takes it.", "text/html")]
    [Answers(403, typeof(string), "An HTML page: the link was changed, has expired, or signed links are switched off.", "text/html")]
    [Answers(400, typeof(string), "An HTML page: the action was refused as the API would refuse it.", "text/html")]
    [Answers(404, typeof(string), "An HTML page: the swap request or rotation does not exist.", "text/html")]
    [Answers(409, typeof(string), "An HTML page: it is already taken, settled or past its start.", "text/html")]
    public Task<IActionResult> TakeSwapByLink(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", "post", Route = "swaps/{id}/take")] HttpRequest request,
        string id,
        CancellationToken cancellationToken) =>
        ByLinkAsync(request, id, SwapLinkAction.Take, async (email, post, swap, rotation) =>
        {
            if (post)
            {
                var taken = await swaps.AcceptAsync(id, email, cancellationToken);
                return taken.Status == SwapStatus.PendingApproval
                    ? LinkPage.Render(
                        200,
                        "Waiting for approval",
                        $"You take {Describe(taken, rotation)} once the supervisor approves; you will be told.")
                    : LinkPage.Render(
                        200,
                        "Shift taken",
                        $"You take {Describe(taken, rotation)}. It is in the calendar; you will be asked to acknowledge the handoff.");
            }

            return swap.Status == SwapStatus.Open
                ? LinkPage.Render(
                    200,
                    "Take this shift",
                    $"Take {Describe(swap, rotation)}? The first to accept takes it.",
                    new LinkButton("Take this shift", $"take{request.QueryString}"))
                : LinkPage.Render(409, "Already taken", Settled(swap));
        }, cancellationToken);

    /// <summary>The supervisor's link: approve or decline a taken request.</summary>
    [Function(nameof(ReviewSwapByLink))]
    [EndpointSummary("The supervisor's signed review link")]
    [Query("decision", "On POST: approve or decline.")]
    [Query("e", "The email the link was signed for.", Required = true)]
    [Query("exp", "The link's expiry (Unix seconds).", Required = true)]
    [Query("sig", "The link's HMAC-SHA256 signature.", Required = true)]
    [Answers(200, typeof(string), "An HTML page: GET shows the request with Approve and Decline; POST decides.", "text/html")]
    [Answers(403, typeof(string), "An HTML page: the link was changed, has expired, or signed links are switched off.", "text/html")]
    [Answers(400, typeof(string), "An HTML page: the action was refused as the API would refuse it.", "text/html")]
    [Answers(404, typeof(string), "An HTML page: the swap request or rotation does not exist.", "text/html")]
    [Answers(409, typeof(string), "An HTML page: it is already taken, settled or past its start.", "text/html")]
    public Task<IActionResult> ReviewSwapByLink(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", "post", Route = "swaps/{id}/review")] HttpRequest request,
        string id,
        CancellationToken cancellationToken) =>
        ByLinkAsync(request, id, SwapLinkAction.Review, async (email, post, swap, rotation) =>
        {
            if (post)
            {
                var decided = WireFormat.Query(request, "decision") switch
                {
                    "approve" => await swaps.ApproveAsync(id, email, cancellationToken),
                    "decline" => await swaps.DeclineAsync(id, email, cancellationToken),
                    _ => throw new ValidationFailedException("decision", "must be approve or decline."),
                };
                return LinkPage.Render(200, decided.Status == SwapStatus.Accepted ? "Swap approved" : "Swap declined", Settled(decided));
            }

            return swap.Status == SwapStatus.PendingApproval
                ? LinkPage.Render(
                    200,
                    "Approve the swap?",
                    $"{swap.TakenBy!.Name} offers to take {Describe(swap, rotation)}.",
                    new LinkButton("Approve", $"review{request.QueryString}&decision=approve"),
                    new LinkButton("Decline", $"review{request.QueryString}&decision=decline"))
                : LinkPage.Render(409, "Nothing to approve", Settled(swap));
        }, cancellationToken);

    /// <summary>The requester's link: withdraw the request.</summary>
    [Function(nameof(WithdrawSwapByLink))]
    [EndpointSummary("The requester's signed withdraw link")]
    [Query("e", "The email the link was signed for.", Required = true)]
    [Query("exp", "The link's expiry (Unix seconds).", Required = true)]
    [Query("sig", "The link's HMAC-SHA256 signature.", Required = true)]
    [Answers(200, typeof(string), "An HTML page: GET shows the request; POST withdraws it.", "text/html")]
    [Answers(403, typeof(string), "An HTML page: the link was changed, has expired, or signed links are switched off.", "text/html")]
    [Answers(400, typeof(string), "An HTML page: the action was refused as the API would refuse it.", "text/html")]
    [Answers(404, typeof(string), "An HTML page: the swap request or rotation does not exist.", "text/html")]
    [Answers(409, typeof(string), "An HTML page: it is already taken, settled or past its start.", "text/html")]
    public Task<IActionResult> WithdrawSwapByLink(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", "post", Route = "swaps/{id}/withdraw")] HttpRequest request,
        string id,
        CancellationToken cancellationToken) =>
        ByLinkAsync(request, id, SwapLinkAction.Cancel, async (email, post, swap, rotation) =>
        {
            if (post)
            {
                var cancelled = await swaps.CancelAsync(id, email, asAdmin: false, cancellationToken);
                return LinkPage.Render(200, "Request withdrawn", Settled(cancelled));
            }

            return swap.Status is SwapStatus.Open or SwapStatus.PendingApproval
                ? LinkPage.Render(
                    200,
                    "Withdraw your request?",
                    $"Nobody will take {Describe(swap, rotation)}; you stay on call.",
                    new LinkButton("Withdraw the request", $"withdraw{request.QueryString}"))
                : LinkPage.Render(409, "Nothing to withdraw", Settled(swap));
        }, cancellationToken);

    private Task<IActionResult> ByLinkAsync(
        HttpRequest request,
        string id,
        SwapLinkAction action,
        Func<string, bool, SwapRequest, Rotation, Task<IResult>> page,
        CancellationToken cancellationToken,
        [CallerMemberName] string function = "") =>
        edge.RunAsync(
            request,
            Access.Anonymous,
            async () =>
        {
            LinkPage.ProtectQuery(request);
            var email = WireFormat.Query(request, "e");
            var check = links.Check(
                id,
                action,
                email,
                WireFormat.Query(request, "exp"),
                WireFormat.Query(request, "sig"),
                clock.GetCurrentInstant());
            if (check != LinkCheck.Valid)
            {
                return LinkPage.Refused(check, "The shift has started, so the request is settled.");
            }

            try
            {
                var swap = await swaps.GetAsync(id, cancellationToken);
                var rotation = (await rotations.GetAsync(swap.RotationId, cancellationToken)).Rotation;
                return await page(email!, HttpMethods.IsPost(request.Method), swap, rotation);
            }
            catch (OnCallException exception)
            {
                return LinkPage.Render(LinkPage.StatusOf(exception), "Not done", exception.Message);
            }
        },
            function);

    private static string Describe(SwapRequest swap, Rotation rotation) =>
        $"{swap.Requester.Name}'s {swap.Layer} shift of {rotation.Settings.Name} from {HandoffMessages.Local(swap.Start, rotation)} "
        + $"to {HandoffMessages.Local(swap.End, rotation)}";

    private static string Settled(SwapRequest swap) => swap.Status switch
    {
        SwapStatus.Open => "Nobody has taken it yet.",
        SwapStatus.PendingApproval => $"{swap.TakenBy?.Name} has taken it; waiting for the supervisor's approval.",
        SwapStatus.Accepted => $"{swap.TakenBy?.Name} has taken it.",
        SwapStatus.Declined => $"The supervisor ({swap.DecidedBy}) declined it; {swap.Requester.Name} stays on call.",
        SwapStatus.Cancelled => $"{swap.DecidedBy} withdrew the request.",
        _ => "It has expired: the shift has started.",
    };

    /// <summary>The signed span, widened to whole minutes (overrides start and end on whole minutes; shifts do too).</summary>
    private static (Instant From, Instant To)? ParseSpan(string? start, string? end)
    {
        if (start is null || end is null || !InstantText.Pattern.Parse(start).TryGetValue(default, out var from)
            || !InstantText.Pattern.Parse(end).TryGetValue(default, out var to))
        {
            return null;
        }

        const long Minute = NodaConstants.TicksPerMinute;
        return (
            Instant.FromUnixTimeTicks(from.ToUnixTimeTicks() / Minute * Minute),
            Instant.FromUnixTimeTicks((to.ToUnixTimeTicks() + Minute - 1) / Minute * Minute));
    }
}
