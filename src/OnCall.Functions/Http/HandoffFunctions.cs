using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using NodaTime;
using OnCall.Core.Errors;
using OnCall.Core.Handoffs;
using OnCall.Core.Ports;
using OnCall.Core.Time;

namespace OnCall.Functions.Http;

/// <summary>Handoffs: listing, notes, acknowledgement with a key, and the signed link from chat.</summary>
public sealed class HandoffFunctions(HttpEdge edge, HandoffService handoffs, IHandoffLinks links, TimeProvider clock)
{
    /// <summary>The default listing window: a week back, two days ahead.</summary>
    public static readonly Duration DefaultLookback = Duration.FromDays(7);

    public static readonly Duration DefaultLookahead = Duration.FromDays(2);

    [Function(nameof(ListHandoffs))]
    [EndpointSummary("List handoffs")]
    [ApiKey(Access.Read)]
    [Query("status", "pending, acknowledged or missed.")]
    [Query("rotation", "A rotation's id.")]
    [Query("from", "An instant; default a week ago.")]
    [Query("to", "An instant; default from + 9 days (two days ahead without from); at most 31 days.")]
    [Answers(200, typeof(HandoffResponse[]), "The handoffs due in [from, to).")]
    public Task<IActionResult> ListHandoffs(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = "handoffs")] HttpRequest request,
        CancellationToken cancellationToken) =>
        edge.RunAsync(request, Access.Read, async () =>
        {
            var now = clock.GetCurrentInstant();
            var from = WireFormat.Query(request, "from");
            var status = HandoffContracts.ParseStatus(WireFormat.Query(request, "status"));
            var start = WireFormat.QueryInstant(from, "from") ?? now - DefaultLookback;

            // Without 'to', the default window's length from 'from', so a 'from' alone never asks for too much.
            var end = WireFormat.QueryInstant(WireFormat.Query(request, "to"), "to")
                ?? (from is null ? now + DefaultLookahead : start + DefaultLookback + DefaultLookahead);
            var list = await handoffs.ListAsync(start, end, status, WireFormat.Query(request, "rotation"), cancellationToken);
            return TypedResults.Ok(list.Select(HandoffContracts.ToResponse));
        });

    [Function(nameof(SetHandoffNotes))]
    [EndpointSummary("Set a handoff's notes")]
    [ApiKey(Access.Admin)]
    [JsonBody(typeof(HandoffNotesRequest))]
    [Answers(200, typeof(HandoffResponse), "The handoff.")]
    [Problem(404, "No handoff with this id.")]
    public Task<IActionResult> SetHandoffNotes(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "handoffs/{id}/notes")] HttpRequest request,
        string id,
        CancellationToken cancellationToken) =>
        edge.RunAsync(request, Access.Admin, async () =>
        {
            HandoffService.RequireId(id);
            var body = await RequestBody.ReadAsync<HandoffNotesRequest>(request, cancellationToken);
            return TypedResults.Ok(HandoffContracts.ToResponse(
                await handoffs.SetNotesAsync(id, WireFormat.Text(body.Notes), cancellationToken)));
        });

    [Function(nameof(AcknowledgeHandoff))]
    [EndpointSummary("Acknowledge a handoff")]
    [ApiKey(Access.Admin)]
    [JsonBody(typeof(AcknowledgeRequest))]
    [EndpointDescription("By the incoming engineer or the supervisor, from an hour before it "
        + "is due. A second acknowledgement changes nothing.")]
    [Answers(200, typeof(HandoffResponse), "The handoff, acknowledged.")]
    [Problem(404, "No handoff with this id.")]
    [Problem(409, "Earlier than an hour before the handoff.")]
    public Task<IActionResult> AcknowledgeHandoff(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "handoffs/{id}/acknowledge")] HttpRequest request,
        string id,
        CancellationToken cancellationToken) =>
        edge.RunAsync(request, Access.Admin, async () =>
        {
            HandoffService.RequireId(id);
            var body = await RequestBody.ReadAsync<AcknowledgeRequest>(request, cancellationToken);
            var acknowledged = await handoffs.AcknowledgeAsync(
                id,
                WireFormat.Text(body.By),
                WireFormat.OptionalText(body.Notes),
                clock.GetCurrentInstant(),
                cancellationToken);
            return TypedResults.Ok(HandoffContracts.ToResponse(acknowledged));
        });

    /// <summary>
    /// Anonymous: the link's HMAC signature protects it, because it is opened from a chat message. A GET only shows the
    /// page (link previews and scanners open links); the button POSTs the same query.
    /// </summary>
    [Function(nameof(SignedAcknowledgeHandoff))]
    [EndpointSummary("The signed acknowledge link")]
    [Query("e", "The email the link was signed for.", Required = true)]
    [Query("exp", "The link's expiry (Unix seconds).", Required = true)]
    [Query("sig", "The link's HMAC-SHA256 signature.", Required = true)]
    [Answers(200, typeof(string), "An HTML page: GET shows who hands to whom and an I've "
        + "taken over button; POST acknowledges as e.", "text/html")]
    [Answers(403, typeof(string), "An HTML page: the link was changed, has expired, or signed links are switched off.", "text/html")]
    [Answers(400, typeof(string), "An HTML page: refused as the API would refuse it.", "text/html")]
    [Answers(404, typeof(string), "An HTML page: no such handoff.", "text/html")]
    [Answers(409, typeof(string), "An HTML page: too early to acknowledge.", "text/html")]
    public Task<IActionResult> SignedAcknowledgeHandoff(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", "post", Route = "handoffs/{id}/ack")] HttpRequest request,
        string id,
        CancellationToken cancellationToken) =>
        edge.RunAsync(request, Access.Anonymous, async () =>
        {
            LinkPage.ProtectQuery(request);
            var email = WireFormat.Query(request, "e");
            var now = clock.GetCurrentInstant();
            switch (links.Check(id, email, WireFormat.Query(request, "exp"), WireFormat.Query(request, "sig"), now))
            {
                case LinkCheck.NotConfigured:
                    return Page(403, "Link not accepted", "Acknowledge links are switched off on this server.");
                case LinkCheck.Invalid:
                    return Page(
                        403,
                        "Link not accepted",
                        "This link is not valid: it was changed, or it belongs to another handoff. Use the link from the "
                        + "message as it is.");
                case LinkCheck.Expired:
                    return Page(403, "Link expired", "This link has expired. Ask the supervisor, or acknowledge through the API.");
            }

            try
            {
                var handoff = HttpMethods.IsPost(request.Method)
                    ? await handoffs.AcknowledgeAsync(id, email!, null, now, cancellationToken)
                    : await handoffs.GetAsync(id, cancellationToken);
                var text = await handoffs.DescribeAsync(handoff, cancellationToken);
                if (handoff.Status == HandoffStatus.Acknowledged)
                {
                    return Page(200, "Handoff acknowledged", text);
                }

                return Page(200, "Take over the handoff", text, $"ack{request.QueryString}");
            }
            catch (OnCallException exception)
            {
                return Page(LinkPage.StatusOf(exception), "Not acknowledged", exception.Message);
            }
        });

    private static IResult Page(int status, string title, string text, string? postTo = null) =>
        LinkPage.Render(status, title, text, postTo is null ? [] : [new LinkButton("I've taken over", postTo)]);
}
