using System.Diagnostics;
using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Mvc;
using OnCall.Core.Diagnostics;

namespace OnCall.Functions.Http;

/// <summary>
/// What every HTTP function body runs through, in both hosting modes: the path guard, the key its access level asks
/// for, then the handler, with any exception turned into problem+json by <see cref="ProblemMiddleware.ToProblem"/>. The result is an
/// <see cref="IActionResult"/>, because that is what the worker's ASP.NET Core integration executes.
/// </summary>
public sealed class HttpEdge(ApiKeys keys, ILogger<HttpEdge> logger)
{
    /// <summary>
    /// Runs one HTTP function's <paramref name="handler"/> in a span named <paramref name="function"/>: the caller's
    /// method name, which is the function's.
    /// </summary>
    public async Task<IActionResult> RunAsync(
        HttpRequest request,
        Access access,
        Func<Task<IResult>> handler,
        [CallerMemberName] string function = "")
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(handler);
        using var span = OnCallTelemetry.StartFunction(function, ActivityKind.Internal);
        try
        {
            PathGuard.Check(request.HttpContext);
            keys.Require(request, access);
            return new ResultAction(await handler());
        }
        catch (Exception exception) when (!request.HttpContext.RequestAborted.IsCancellationRequested)
        {
            var problem = ProblemMiddleware.ToProblem(exception);
            span?.SetStatus(problem.Status >= 500 ? ActivityStatusCode.Error : ActivityStatusCode.Unset);
            ProblemMiddleware.Log(logger, request.HttpContext, problem, exception);
            return new ResultAction(new ProblemResult(problem));
        }
    }

    public Task<IActionResult> RunAsync(
        HttpRequest request,
        Access access,
        Func<IResult> handler,
        [CallerMemberName] string function = "") =>
        RunAsync(request, access, () => Task.FromResult(handler()), function);

    /// <summary>A minimal-API result as an action result: the worker executes action results, not <see cref="IResult"/>.</summary>
    public sealed class ResultAction(IResult result) : IActionResult
    {
        public IResult Result { get; } = result;

        public Task ExecuteResultAsync(ActionContext context)
        {
            ArgumentNullException.ThrowIfNull(context);
            return Result.ExecuteAsync(context.HttpContext);
        }
    }

    private sealed class ProblemResult(ProblemDetails problem) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext) => ProblemMiddleware.WriteAsync(httpContext, problem);
    }
}
