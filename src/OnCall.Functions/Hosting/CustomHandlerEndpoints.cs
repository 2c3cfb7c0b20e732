using System.Text.Json;
using OnCall.Functions.Catalogue;
using OnCall.Functions.Http;

namespace OnCall.Functions.Hosting;

/// <summary>The custom-handler invocation payload for non-HTTP triggers.</summary>
public sealed record InvocationRequest(Dictionary<string, JsonElement>? Data, Dictionary<string, JsonElement>? Metadata);

/// <summary>What the Functions host expects back; property names are PascalCase on the wire.</summary>
public sealed record InvocationResponse(Dictionary<string, object?> Outputs, IReadOnlyList<string> Logs, object? ReturnValue);

/// <summary>
/// Under the Functions host, a timer (or queue) trigger arrives as <c>POST /{FunctionName}</c> with
/// <c>{"Data": {...}, "Metadata": {...}}</c> and is answered with <c>{"Outputs", "Logs", "ReturnValue"}</c>.
/// </summary>
public static class CustomHandlerEndpoints
{
    private static readonly JsonSerializerOptions PascalCase = new();

    public static void MapCustomHandlerInvocations(this IEndpointRouteBuilder app)
    {
        app.MapPost("/{functionName}", async (string functionName, HttpRequest request, TimerInvoker invoker, ILoggerFactory loggers, CancellationToken cancellationToken) =>
        {
            var timer = FunctionCatalogue.FindTimer(functionName)
                ?? throw new HttpProblemException(404, "Function not found", $"'{functionName}' is not a timer or queue function.", "functionName");
            var invocation = await RequestBody.ReadAsync<InvocationRequest>(request, cancellationToken);
            if (invocation.Data is null)
            {
                throw new HttpProblemException(400, "Invalid invocation", "The invocation has no Data.", "Data");
            }

            try
            {
                await invoker.RunAsync(timer, TimerTrigger.FunctionsHost, cancellationToken: cancellationToken);
                return Results.Json(new InvocationResponse([], [$"{timer.Name} completed."], null), PascalCase);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                // A non-2xx tells the host the invocation failed; the details stay in our own log.
                loggers.CreateLogger(typeof(CustomHandlerEndpoints)).LogError(exception, "Invocation of {Function} failed.", timer.Name);
                return Results.Json(new InvocationResponse([], [$"{timer.Name} failed: {exception.GetType().Name}."], null), PascalCase, statusCode: 500);
            }
        });
    }
}
