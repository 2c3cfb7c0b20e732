using System.Text.Json;
using Microsoft.Net.Http.Headers;
using OnCall.Core.CalendarSync;
using OnCall.Core.Feeds;
using OnCall.Core.Rotations;
using OnCall.Functions.Catalogue;

namespace OnCall.Functions.Http;

/// <summary>The ICS subscription feed and its token, and the Google Calendar sync's last run: the two publishers of a rotation's calendar.</summary>
public static class FeedEndpoints
{
    public static void MapFeedEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapFunction(FunctionCatalogue.GetCalendarFeed, async (string id, string? token, HttpContext context, FeedService feeds, CancellationToken cancellationToken) =>
        {
            var feed = await feeds.GetAsync(id, token, cancellationToken);
            var headers = context.Response.GetTypedHeaders();
            headers.ETag = new EntityTagHeaderValue(feed.ETag);
            headers.CacheControl = new CacheControlHeaderValue { Private = true, MaxAge = TimeSpan.FromMinutes(5) };
            var ifNoneMatch = context.Request.GetTypedHeaders().IfNoneMatch;
            if (ifNoneMatch.Any(tag => tag.Tag == feed.ETag || tag.Equals(EntityTagHeaderValue.Any)))
            {
                return Results.StatusCode(StatusCodes.Status304NotModified);
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

        app.MapFunction(FunctionCatalogue.GetCalendarSync, async (string id, CalendarSyncService sync, CancellationToken cancellationToken) =>
        {
            var status = await sync.GetStatusAsync(id, cancellationToken);

            // Nulls stay in this answer (lastSyncAt, lastError, calendarId): a page reads them as "never" and "none".
            return Results.Json(
                new CalendarSyncResponse(
                    status.RotationId,
                    status.CalendarId,
                    status.LastSyncAt is { } at ? Contracts.Format(at) : null,
                    new SyncCountsResponse(status.Counts.Inserted, status.Counts.Patched, status.Counts.Deleted, status.Counts.Unchanged),
                    status.Requests,
                    status.LastError),
                KeepNulls);
        });

        app.MapFunction(FunctionCatalogue.RotateFeedToken, async (string id, HttpRequest request, RotationService rotations, CancellationToken cancellationToken) =>
        {
            var token = await rotations.RotateFeedTokenAsync(id, cancellationToken);
            return Results.Ok(new FeedTokenResponse(token, FeedUrl(request, id, token)));
        });
    }

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

    private static readonly JsonSerializerOptions KeepNulls = new(JsonSerializerDefaults.Web);

    public static string FeedUrl(HttpRequest request, string rotationId, string token) =>
        $"{request.Scheme}://{request.Host}/{HttpFunction.RoutePrefix}/rotations/{Uri.EscapeDataString(rotationId)}/calendar.ics?token={Uri.EscapeDataString(token)}";
}
