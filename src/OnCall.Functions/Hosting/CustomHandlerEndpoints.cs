using System.Text.Json;
using OnCall.Functions.Catalogue;
using OnCall.Functions.Http;

namespace OnCall.Functions.Hosting;

/// <summary>The custom-handler invocation payload for non-HTTP triggers.</summary>
public sealed record InvocationRequest(Dictionary<string, JsonElement>? Data, Dictionary<string, JsonElement>? Metadata);

/// <summary>What the Functions host expects back; property names are PascalCase on the wire.</summary>
public sealed record InvocationResponse(Dictionary<string, object?> Outputs, IReadOnlyList<string> Logs, object? ReturnValue);

/// <summary>
/// Under the Functions host, a timer or queue trigger arrives as <c>POST /{FunctionName}</c> with
/// <c>{"Data": {...}, "Metadata": {...}}</c> and is answered with <c>{"Outputs", "Logs", "ReturnValue"}</c>.
/// </summary>
public static class CustomHandlerEndpoints
{
    private static readonly JsonSerializerOptions PascalCase = new();

    public static void MapCustomHandlerInvocations(this IEndpointRouteBuilder app)
    {
        app.MapPost("/{functionName}", async (
            string functionName,
            HttpRequest request,
            FunctionCatalogue catalogue,
            TimerInvoker timers,
            QueueInvoker queues,
            ILoggerFactory loggers,
            CancellationToken cancellationToken) =>
        {
            var function = catalogue.FindInvocable(functionName)
                ?? throw new HttpProblemException(404, "Function not found", $"'{functionName}' is not a timer or queue function.", "functionName");
            var invocation = await RequestBody.ReadAsync<InvocationRequest>(request, cancellationToken);
            if (invocation.Data is null)
            {
                throw new HttpProblemException(400, "Invalid invocation", "The invocation has no Data.", "Data");
            }

            var run = function switch
            {
                TimerFunction timer => () => timers.RunAsync(timer, TimerTrigger.FunctionsHost, cancellationToken: cancellationToken),
                QueueFunction queue => QueueRun(queues, queue, invocation, cancellationToken),
                _ => throw new InvalidOperationException($"{function.Name} is not invoked by the host."),
            };
            try
            {
                await run();
                return Results.Json(new InvocationResponse([], [$"{function.Name} completed."], null), PascalCase);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                // A non-2xx tells the host the invocation failed (it retries, then poisons); details stay in our log.
                loggers.CreateLogger(typeof(CustomHandlerEndpoints)).LogError(exception, "Invocation of {Function} failed.", function.Name);
                return Results.Json(new InvocationResponse([], [$"{function.Name} failed: {exception.GetType().Name}."], null), PascalCase, statusCode: 500);
            }
        });
    }

    private static Func<Task> QueueRun(QueueInvoker queues, QueueFunction function, InvocationRequest invocation, CancellationToken cancellationToken)
    {
        if (!invocation.Data!.TryGetValue(QueueFunction.BindingName, out var content))
        {
            throw new HttpProblemException(400, "Invalid invocation", $"The invocation has no Data.{QueueFunction.BindingName}.", $"Data.{QueueFunction.BindingName}");
        }

        // The host passes a JSON message as JSON and any other message as a string.
        var body = content.ValueKind == JsonValueKind.String ? content.GetString()! : content.GetRawText();
        var metadata = invocation.Metadata ?? [];
        var id = metadata.TryGetValue("Id", out var idValue) ? Text(idValue) : "";
        var dequeueCount = metadata.TryGetValue("DequeueCount", out var countValue) && long.TryParse(Text(countValue), out var count) ? count : 1;
        return () => queues.InvokeAsync(function, new ReceivedMessage(id, body, dequeueCount), cancellationToken);
    }

    private static string Text(JsonElement value) => value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText();
}
