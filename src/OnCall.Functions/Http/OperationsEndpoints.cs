using NodaTime;
using OnCall.Functions.Catalogue;
using OnCall.Functions.Hosting;
using OnCall.Infrastructure.Storage;

namespace OnCall.Functions.Http;

public sealed record HealthResponse(string Status);

public sealed record TimerRunResponse(string Function, string Status, string StartedAt, string FinishedAt);

/// <summary>Health and running a timer on demand.</summary>
public static class OperationsEndpoints
{
    public static void MapOperationsEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapFunction(FunctionCatalogue.Health, async (StorageHealth storage, CancellationToken cancellationToken) =>
            await storage.IsHealthyAsync(cancellationToken)
                ? Results.Ok(new HealthResponse("ok"))
                : Results.Problem(statusCode: 503, title: "Storage unavailable", detail: "The storage account does not answer."));

        app.MapFunction(FunctionCatalogue.RunTimer, async (string function, TimerInvoker invoker, TimeProvider clock, CancellationToken cancellationToken) =>
        {
            var timer = FunctionCatalogue.FindTimer(function)
                ?? throw new HttpProblemException(404, "Timer function not found", $"'{function}' is not a timer function; try one of: {string.Join(", ", FunctionCatalogue.Timers.Select(t => t.Name))}.", "function");
            var started = clock.GetUtcNow();
            if (!await invoker.RunAsync(timer, TimerTrigger.Manual, cancellationToken: cancellationToken))
            {
                throw new HttpProblemException(409, "Timer busy", $"{timer.Name} is running now; try again when it has finished.", "function");
            }

            return Results.Ok(new TimerRunResponse(
                timer.Name,
                "completed",
                Contracts.Format(Instant.FromDateTimeOffset(started)),
                Contracts.Format(Instant.FromDateTimeOffset(clock.GetUtcNow()))));
        });
    }
}
