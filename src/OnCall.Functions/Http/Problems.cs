using System.ComponentModel;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.WebUtilities;
using OnCall.Core.Errors;
using OnCall.Infrastructure.Storage;

namespace OnCall.Functions.Http;

/// <summary>Thrown at the HTTP edge for a request that cannot be read (bad JSON, too large, wrong key).</summary>
public sealed class HttpProblemException(int status, string title, string detail, string? field = null) : Exception(detail)
{
    public int Status { get; } = status;

    public string Title { get; } = title;

    public string? Field { get; } = field;
}

/// <summary>
/// The one place that turns exceptions into RFC 7807 <c>application/problem+json</c>. A problem names the
/// request field at fault in <c>field</c>; nothing internal (stack, type names) reaches the client.
/// </summary>
public sealed class ProblemMiddleware(RequestDelegate next, ILogger<ProblemMiddleware> logger)
{
    private const string RetryAfterSeconds = "5";
    private const int MaxErrorFields = 50;
    private const int MaxMessagesPerField = 5;
    private const int MaxErrorText = 300;

    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await next(context);
        }
        catch (Exception exception) when (!context.Response.HasStarted && !context.RequestAborted.IsCancellationRequested)
        {
            var problem = ToProblem(exception);
            Log(logger, context, problem, exception);
            await WriteAsync(context, problem);
        }
    }

    /// <summary>Logs a problem worth an operator's attention: a storage outage in one line, any other 5xx with its exception.</summary>
    public static void Log(ILogger logger, HttpContext context, ProblemDetails problem, Exception exception)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(problem);
        if (problem.Status == StatusCodes.Status503ServiceUnavailable)
        {
            // Expected while storage is down, on every request: one line each, no stack.
            logger.LogWarning(
                "Storage unavailable on {Method} {Path}: {Reason}",
                context.Request.Method,
                context.Request.Path,
                exception?.Message);
        }
        else if (problem.Status >= 500)
        {
            logger.LogError(exception, "Unhandled error on {Method} {Path}.", context.Request.Method, context.Request.Path);
        }
    }

    public static Task WriteAsync(HttpContext context, ProblemDetails problem)
    {
        context.Response.Clear();
        context.Response.StatusCode = problem.Status ?? 500;
        if (problem.Status == StatusCodes.Status503ServiceUnavailable)
        {
            AddRetryAfter(context.Response);
        }

        return context.Response.WriteAsJsonAsync(problem, (JsonSerializerOptions?)null, "application/problem+json", context.RequestAborted);
    }

    /// <summary>Tells a caller of a 503 when to try again: storage outages are usually brief.</summary>
    public static void AddRetryAfter(HttpResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        response.Headers.RetryAfter = RetryAfterSeconds;
    }

    public static ProblemDetails ToProblem(Exception exception) => exception switch
    {
        ValidationFailedException e => Invalid(e),
        NotFoundException e => Problem(404, $"{e.Resource} not found", e.Message, null),
        ConflictException e => Problem(409, "Conflict", e.Message, e.Field),
        TooLargeException e => Problem(413, $"{e.Resource} too large to store", e.Message, e.Field),
        ConcurrencyException e => Problem(409, "Concurrent change", e.Message, null),
        HttpProblemException e => Problem(e.Status, e.Title, e.Message, e.Field),
        BadHttpRequestException { StatusCode: 413 } =>
            Problem(413, "Request body too large", $"Bodies over {RequestBody.MaxBytes / 1024} KiB are refused.", "body"),
        BadHttpRequestException e => Problem(e.StatusCode, "Bad request", "The request could not be read.", null),
        _ when StorageUnavailableException.IsStorageFault(exception) =>
            Problem(503, "Storage unavailable", "The storage account did not answer; retry shortly.", null),
        _ => Problem(500, "Internal error", "Something went wrong on our side; it has been logged.", null),
    };

    /// <summary>The problem for a bare status code (an unknown route, a method the route does not take).</summary>
    public static ProblemDetails ForStatus(int status) => status switch
    {
        404 => Problem(404, "Not found", "No function answers at this address; every route is under /api (see the README).", null),
        405 => Problem(405, "Method not allowed", "This route does not take that method.", null),
        _ => Problem(status, ReasonPhrases.GetReasonPhrase(status), ReasonPhrases.GetReasonPhrase(status), null),
    };

    // Every invalid field at once, in the shape of ASP.NET's validation problem details; "field" keeps the first.
    // Bounded, so a small hostile body cannot make a large answer: the first MaxErrorFields fields, each name and
    // message cut, and "moreErrors" counts the fields left out.
    private static ProblemDetails Invalid(ValidationFailedException exception)
    {
        var more = exception.Errors.Count - 1;
        var omitted = Math.Max(0, exception.Errors.Count - MaxErrorFields);
        var detail = more == 0 ? exception.Message
            : omitted == 0 ? $"{exception.Message} (and {more} more field{(more == 1 ? "" : "s")}: see errors)"
            : $"{exception.Message} (and {more} more fields; errors lists the first {MaxErrorFields})";
        var problem = Problem(
            400,
            "Invalid request",
            Cut(detail, MaxErrorText * 2),
            exception.Field is { } field ? Cut(field, MaxErrorText) : null);
        var errors = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var (name, messages) in exception.Errors.Take(MaxErrorFields))
        {
            // Cutting can make two long names equal; the first keeps its place.
            errors.TryAdd(Cut(name, MaxErrorText), messages.Take(MaxMessagesPerField).Select(m => Cut(m, MaxErrorText)).ToList());
        }

        problem.Extensions["errors"] = errors;
        if (omitted > 0)
        {
            problem.Extensions["moreErrors"] = omitted;
        }

        return problem;
    }

    private static string Cut(string text, int max) => text.Length <= max ? text : string.Concat(text.AsSpan(0, max - 1), "…");

    private static ProblemDetails Problem(int status, string title, string detail, string? field)
    {
        var problem = new ProblemDetails
        {
            Status = status,
            Title = title,
            Detail = field is null ? detail : $"{field}: {detail}",
            Type = $"https://httpstatuses.io/{status}",
        };
        if (field is not null)
        {
            problem.Extensions["field"] = field;
        }

        return problem;
    }
}

/// <summary>
/// The shape of every problem <see cref="ProblemMiddleware"/> writes, for the OpenAPI document: RFC 7807 with
/// <c>field</c> (the request field at fault) and, for an invalid body, <c>errors</c> (field → messages, at most 50
/// fields of 5 messages) and <c>moreErrors</c> (the fields left out).
/// </summary>
public sealed record ProblemResponse(
    [property: Description("https://httpstatuses.io/<status>")] string Type,
    string Title,
    int Status,
    [property: Description("What went wrong, starting with the field at fault when there is one.")] string Detail,
    [property: Description("The request field at fault: a body member (layers[0].members), a query parameter, a header, path or body.")]
    string? Field = null,
    [property: Description("An invalid body: every invalid field with its messages.")]
    IReadOnlyDictionary<string, IReadOnlyList<string>>? Errors = null,
    [property: Description("How many more invalid fields errors leaves out.")] int? MoreErrors = null);
