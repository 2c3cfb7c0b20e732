using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using NodaTime;
using OnCall.Functions.Catalogue;
using OnCall.Functions.Hosting;
using OnCall.Infrastructure.Storage;

namespace OnCall.Functions.Http;

public sealed record HealthResponse(string Status);

public sealed record AccessResponse(string Access);

public sealed record TimerRunResponse(string Function, string Status, Instant StartedAt, Instant FinishedAt);

public sealed record PoisonMessageResponse(string Id, string Body, Instant? InsertedAt, long DequeueCount);

public sealed record PoisonQueueResponse(string Function, string Queue, IReadOnlyList<PoisonMessageResponse> Messages);

public sealed record RequeueResponse(string Function, string Queue, int Requeued);

/// <summary>
/// Health, running a timer on demand, and the messages that failed every try. Under <c>ops/</c>: the Functions host
/// refuses routes that start with <c>admin</c> or <c>runtime</c>.
/// </summary>
public sealed class OperationsFunctions(
    HttpEdge edge,
    ApiKeys keys,
    FunctionCatalogue catalogue,
    HealthCheckService health,
    TimerInvoker timers,
    QueueProvider queues,
    TimeProvider clock)
{
    // The most a Storage queue lets one peek see.
    private const int MaxPeek = 32;

    // Runs every registered check (each AddXyz registers its own). Unhealthy is thrown, so the 503 and its
    // Retry-After come from the one problem+json place.
    [Function(nameof(Health))]
    [EndpointSummary("Health of storage and the tables the routes need")]
    [Answers(200, typeof(HealthResponse), "Healthy.")]
    public Task<IActionResult> Health(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = "health")] HttpRequest request,
        CancellationToken cancellationToken) =>
        edge.RunAsync(request, Access.Anonymous, async () =>
            (await health.CheckHealthAsync(cancellationToken)).Status == HealthStatus.Healthy
                ? TypedResults.Ok(new HealthResponse("ok"))
                : throw new StorageUnavailableException());

    /// <summary>What the presented key may do (<c>admin</c> or <c>read</c>), so the page offers only the actions it allows.</summary>
    [Function(nameof(GetAccess))]
    [EndpointSummary("What the presented key may do")]
    [ApiKey(Access.Read)]
    [Answers(200, typeof(AccessResponse), "admin or read.")]
    public Task<IActionResult> GetAccess(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = "access")] HttpRequest request) =>
        edge.RunAsync(request, Access.Read, () =>
            TypedResults.Ok(new AccessResponse(keys.Granted(request) == Access.Admin ? "admin" : "read")));

    /// <summary>Runs a timer function now, under the same lease as a standalone scheduled run, so two never overlap.</summary>
    [Function(nameof(RunTimer))]
    [EndpointSummary("Run a timer function now")]
    [ApiKey(Access.Admin)]
    [Answers(200, typeof(TimerRunResponse), "It ran.")]
    [Problem(404, "No timer function of that name (field function).")]
    [Problem(409, "It is running now (field function).")]
    public Task<IActionResult> RunTimer(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "ops/run/{function}")] HttpRequest request,
        string function,
        CancellationToken cancellationToken) =>
        edge.RunAsync(request, Access.Admin, async () =>
        {
            var timer = catalogue.FindTimer(function)
                ?? throw new HttpProblemException(
                    404,
                    "Timer function not found",
                    $"'{function}' is not a timer function; try one of: {string.Join(", ", catalogue.Timers.Select(t => t.Name))}.",
                    "function");
            var started = clock.GetUtcNow();
            if (!await timers.RunAsync(timer, TimerTrigger.Manual, cancellationToken: cancellationToken))
            {
                throw new HttpProblemException(
                    409,
                    "Timer busy",
                    $"{timer.Name} is running now; try again when it has finished.",
                    "function");
            }

            return TypedResults.Ok(new TimerRunResponse(
                timer.Name,
                "completed",
                Instant.FromDateTimeOffset(started),
                Instant.FromDateTimeOffset(clock.GetUtcNow())));
        });

    [Function(nameof(ListPoisonMessages))]
    [EndpointSummary("Messages that failed every try, per queue function")]
    [ApiKey(Access.Admin)]
    [Answers(200, typeof(PoisonQueueResponse[]), "Each queue function's poison messages (up to 32 each).")]
    public Task<IActionResult> ListPoisonMessages(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = "ops/poison")] HttpRequest request,
        CancellationToken cancellationToken) =>
        edge.RunAsync(request, Access.Admin, async () =>
        {
            var result = new List<PoisonQueueResponse>();
            foreach (var function in catalogue.Queues)
            {
                // Peek, so looking does not count as a try or hide the messages from anyone else.
                var messages = (await queues.RunAsync(
                    function.PoisonQueue,
                    poison => poison.PeekMessagesAsync(MaxPeek, cancellationToken),
                    cancellationToken)).Value;
                result.Add(new PoisonQueueResponse(
                    function.Name,
                    queues.StorageName(function.PoisonQueue),
                    [.. messages.Select(m => new PoisonMessageResponse(
                        m.MessageId,
                        m.Body.ToString(),
                        m.InsertedOn is { } at ? Instant.FromDateTimeOffset(at) : null,
                        m.DequeueCount))]));
            }

            return TypedResults.Ok(result);
        });

    /// <summary>
    /// {queue} is a queue function's name or its queue's declared name. Send, then delete: a crash in between leaves a
    /// copy in both, and queue jobs are idempotent, so nothing is lost.
    /// </summary>
    [Function(nameof(RequeuePoisonMessages))]
    [EndpointSummary("Move a queue function's poison messages back to its queue")]
    [ApiKey(Access.Admin)]
    [Answers(200, typeof(RequeueResponse), "How many were moved.")]
    [Problem(404, "No queue function or queue of that name (field queue).")]
    public Task<IActionResult> RequeuePoisonMessages(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "ops/poison/{queue}/requeue")] HttpRequest request,
        string queue,
        CancellationToken cancellationToken) =>
        edge.RunAsync(request, Access.Admin, async () =>
        {
            var function = catalogue.Queues.FirstOrDefault(f =>
                    string.Equals(f.Name, queue, StringComparison.OrdinalIgnoreCase)
                    || string.Equals(f.Queue, queue, StringComparison.OrdinalIgnoreCase))
                ?? throw new HttpProblemException(
                    404,
                    "Queue function not found",
                    $"'{queue}' is not a queue function or its queue; try one of: "
                    + $"{string.Join(", ", catalogue.Queues.Select(q => q.Queue))}.",
                    "queue");
            var requeued = 0;
            while (true)
            {
                var messages = (await queues.RunAsync(
                    function.PoisonQueue,
                    poison => poison.ReceiveMessagesAsync(MaxPeek, TimeSpan.FromMinutes(1), cancellationToken),
                    cancellationToken)).Value;
                if (messages.Length == 0)
                {
                    break;
                }

                foreach (var message in messages)
                {
                    await queues.RunAsync(
                        function.Queue,
                        target => target.SendMessageAsync(message.Body, cancellationToken: cancellationToken),
                        cancellationToken);
                    await queues.RunAsync(
                        function.PoisonQueue,
                        poison => poison.DeleteMessageAsync(message.MessageId, message.PopReceipt, cancellationToken),
                        cancellationToken);
                    requeued++;
                }
            }

            return TypedResults.Ok(new RequeueResponse(function.Name, queues.StorageName(function.Queue), requeued));
        });
}
