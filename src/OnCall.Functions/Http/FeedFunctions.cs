using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Net.Http.Headers;
using OnCall.Core.CalendarSync;
using OnCall.Core.Feeds;
using OnCall.Core.Rotations;
using OnCall.Core.Serialization;
using OnCall.Functions.Catalogue;
using OnCall.Infrastructure.Hosting;

namespace OnCall.Functions.Http;

/// <summary>
/// The ICS subscription feed and its token, and the Google Calendar sync's last run: the two publishers of a rotation's
/// calendar.
/// </summary>
public sealed class FeedFunctions(
    HttpEdge edge,
    FeedService feeds,
    CalendarSyncService sync,
    RotationService rotations,
    FeedLinks feedLinks)
{
    /// <summary>Anonymous: the feed's own unguessable token protects it, because calendar apps cannot send keys.</summary>
    [Function(nameof(GetCalendarFeed))]
    [EndpointSummary("The rotation's ICS subscription feed")]
    [Query("token", "The feed token (PUT's 201, or POST feed-token).", Required = true)]
    [Answers(200, typeof(string), "The iCalendar feed (gzip when asked for); ETag and "
        + "Cache-Control private, max-age=300.", "text/calendar")]
    [Answers(304, typeof(void), "Unchanged since the ETag in If-None-Match.")]
    [Problem(404, "No such rotation, or not the right token.")]
    public Task<IActionResult> GetCalendarFeed(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = "rotations/{id}/calendar.ics")] HttpRequest request,
        string id,
        CancellationToken cancellationToken) =>
        edge.RunAsync(request, Access.Anonymous, async () =>
        {
            var context = request.HttpContext;
            var token = WireFormat.Query(request, "token");
            var feed = await feeds.GetAsync(id, token, cancellationToken);
            var headers = context.Response.GetTypedHeaders();
            headers.ETag = new EntityTagHeaderValue(feed.ETag);
            headers.CacheControl = new CacheControlHeaderValue { Private = true, MaxAge = TimeSpan.FromMinutes(5) };
            var ifNoneMatch = context.Request.GetTypedHeaders().IfNoneMatch;
            if (ifNoneMatch.Any(tag => tag.Tag == feed.ETag || tag.Equals(EntityTagHeaderValue.Any)))
            {
                return TypedResults.StatusCode(StatusCodes.Status304NotModified);
            }

            var body = await feed.ReadBodyAsync(cancellationToken);
            context.Response.Headers.Vary = "Accept-Encoding";
            var gzip = context.Request.GetTypedHeaders().AcceptEncoding.Any(e => e.Value == "gzip" && e.Quality is not 0);
            if (gzip)
            {
                context.Response.Headers.ContentEncoding = "gzip";
            }

            return new FeedBodyResult(body, gzip);
        });

    [Function(nameof(GetCalendarSync))]
    [EndpointSummary("The Google Calendar sync's last run")]
    [ApiKey(Access.Read)]
    [Answers(200, typeof(CalendarSyncResponse), "The last run.")]
    [Problem(404, "No rotation with this id.")]
    public Task<IActionResult> GetCalendarSync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = "rotations/{id}/sync")] HttpRequest request,
        string id,
        CancellationToken cancellationToken) =>
        edge.RunAsync(request, Access.Read, async () =>
        {
            var status = await sync.GetStatusAsync(id, cancellationToken);

            // Nulls stay in this answer (lastSyncAt, lastError, calendarId): a page reads them as "never" and "none".
            return TypedResults.Json(
                new CalendarSyncResponse(
                    status.RotationId,
                    status.CalendarId,
                    status.LastSyncAt,
                    new SyncCountsResponse(status.Counts.Inserted, status.Counts.Patched, status.Counts.Deleted, status.Counts.Unchanged),
                    status.Requests,
                    status.LastError),
                KeepNulls);
        });

    [Function(nameof(RotateFeedToken))]
    [EndpointSummary("Issue a new feed token")]
    [EndpointDescription("The old one stops working.")]
    [ApiKey(Access.Admin)]
    [Answers(200, typeof(FeedTokenResponse), "The new token and feed URL.")]
    [Problem(404, "No rotation with this id.")]
    public Task<IActionResult> RotateFeedToken(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "rotations/{id}/feed-token")] HttpRequest request,
        string id,
        CancellationToken cancellationToken) =>
        edge.RunAsync(request, Access.Admin, async () =>
        {
            var token = await rotations.RotateFeedTokenAsync(id, cancellationToken);
            return TypedResults.Ok(new FeedTokenResponse(token, feedLinks.FeedUrl(id, token)));
        });

    /// <summary>Writes the kept body chunk by chunk, with its length, so a feed is never copied into one array to be sent.</summary>
    private sealed class FeedBodyResult(FeedBody body, bool gzip) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.ContentType = "text/calendar; charset=utf-8";
            httpContext.Response.ContentLength = gzip ? body.Gzip.Length : body.Length;
            return gzip
                ? body.Gzip.CopyToAsync(httpContext.Response.Body, httpContext.RequestAborted)
                : body.WritePlainAsync(httpContext.Response.Body, httpContext.RequestAborted);
        }
    }

    private static readonly JsonSerializerOptions KeepNulls = new JsonSerializerOptions(JsonSerializerDefaults.Web).WithNodaTime();
}

/// <summary>Feed subscription URLs, from <c>OnCall:PublicBaseUrl</c>: a calendar app keeps the URL for years.</summary>
public sealed class FeedLinks(IPublicBaseUrl publicBaseUrl)
{
    public string FeedUrl(string rotationId, string token) =>
        new Uri(
            publicBaseUrl.Value,
            $"{HttpFunction.RoutePrefix}/rotations/{Uri.EscapeDataString(rotationId)}/calendar.ics"
            + $"?token={Uri.EscapeDataString(token)}").AbsoluteUri;
}
