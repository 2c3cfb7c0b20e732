using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using Microsoft.Extensions.Options;
using OnCall.Core.Jobs;
using OnCall.Functions.Catalogue;
using OnCall.Infrastructure.Storage;

namespace OnCall.Functions.Hosting;

/// <summary>
/// Standalone mode's queue trigger, behaving as the Functions host's: poll with back-off while the queue is
/// empty, hide a message while it is handled, delete it when handled, make it visible again after
/// <see cref="QueueOptions.VisibilityTimeout"/> when handling failed, and after
/// <see cref="QueueOptions.MaxDequeueCount"/> failed tries move it to <c>{queue}-poison</c>.
/// </summary>
public sealed class QueueListener(
    IEnumerable<QueueFunction> functions,
    QueueProvider queues,
    QueueInvoker invoker,
    IOptions<QueueOptions> options,
    TimeProvider timeProvider,
    ILogger<QueueListener> logger) : BackgroundService
{
    private const int BatchSize = 16;
    private static readonly TimeSpan MinPollingInterval = TimeSpan.FromMilliseconds(50);

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(functions.Select(f => ListenAsync(f, stoppingToken)));

    private async Task ListenAsync(QueueFunction function, CancellationToken stoppingToken)
    {
        var settings = options.Value;
        var wait = MinPollingInterval;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var queue = await queues.GetAsync(function.Queue, stoppingToken);
                QueueMessage[] batch = (await queue.ReceiveMessagesAsync(BatchSize, settings.ProcessingTimeout, stoppingToken)).Value;
                foreach (var message in batch)
                {
                    await HandleAsync(function, queue, message, settings, stoppingToken);
                }

                wait = batch.Length > 0 ? MinPollingInterval : Min(wait * 2, settings.MaxPollingInterval);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Azure.RequestFailedException exception)
            {
                // Storage unavailable: keep polling, slowly; messages are safe in the queue meanwhile.
                logger.LogWarning(exception, "Polling queue {Queue} failed.", function.Queue);
                wait = settings.MaxPollingInterval;
            }

            try
            {
                await Task.Delay(wait, timeProvider, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task HandleAsync(QueueFunction function, QueueClient queue, QueueMessage message, QueueOptions settings, CancellationToken stoppingToken)
    {
        try
        {
            await invoker.InvokeAsync(function, new ReceivedMessage(message.MessageId, message.Body.ToString(), message.DequeueCount), stoppingToken);
            await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, stoppingToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
        {
            if (message.DequeueCount >= settings.MaxDequeueCount)
            {
                // Poison first, then delete: a crash between the two leaves a copy, never a loss.
                logger.LogError(exception, "Message {MessageId} of {Queue} failed {Count} times; moving it to {Poison}.", message.MessageId, function.Queue, message.DequeueCount, function.PoisonQueue);
                var poison = await queues.GetAsync(function.PoisonQueue, stoppingToken);
                await poison.SendMessageAsync(message.Body.ToString(), stoppingToken);
                await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, stoppingToken);
            }
            else
            {
                logger.LogWarning(exception, "Message {MessageId} of {Queue} failed (try {Count}); it will be retried.", message.MessageId, function.Queue, message.DequeueCount);
                await queue.UpdateMessageAsync(message.MessageId, message.PopReceipt, visibilityTimeout: settings.VisibilityTimeout, cancellationToken: stoppingToken);
            }
        }
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}
