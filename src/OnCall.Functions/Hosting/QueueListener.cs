using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using Microsoft.Extensions.Options;
using OnCall.Core.Diagnostics;
using OnCall.Core.Jobs;
using OnCall.Functions.Catalogue;
using OnCall.Infrastructure.Storage;

namespace OnCall.Functions.Hosting;

/// <summary>
/// Standalone mode's queue trigger, behaving as the Functions host's: poll with back-off while the queue is
/// empty, handle up to <see cref="QueueOptions.BatchSize"/> messages at once, each hidden by its own lease that
/// is renewed while its handler runs (so a slow handler never lets its message reappear and run twice), delete
/// a message when handled, make it visible again after <see cref="QueueOptions.VisibilityTimeout"/> when
/// handling failed, and after <see cref="QueueOptions.MaxDequeueCount"/> failed tries (or at once, for a
/// message that cannot be read) move it to <c>{queue}-poison</c>.
/// </summary>
public sealed class QueueListener(
    FunctionCatalogue catalogue,
    QueueProvider queues,
    QueueInvoker invoker,
    IOptions<QueueOptions> options,
    TimeProvider timeProvider,
    IConfiguration configuration,
    OnCallMetrics metrics,
    ILogger<QueueListener> logger) : BackgroundService
{
    private static readonly TimeSpan MinPollingInterval = TimeSpan.FromMilliseconds(50);

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        // AzureWebJobs.{Function}.Disabled switches a queue function off, as it does under the Functions host.
        Task.WhenAll(catalogue.Queues
            .Where(f => !FunctionSwitch.IsDisabled(configuration, f.Name))
            .Select(f => ListenAsync(f, stoppingToken)));

    private async Task ListenAsync(QueueFunction function, CancellationToken stoppingToken)
    {
        var settings = options.Value;
        var wait = MinPollingInterval;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                // RunAsync recreates the queue if storage was wiped underneath us.
                var (queue, batch) = await queues.RunAsync(
                    function.Queue,
                    async q => (q, (await q.ReceiveMessagesAsync(settings.BatchSize, settings.MessageLease, stoppingToken)).Value),
                    stoppingToken);
                await Task.WhenAll(batch.Select(message => HandleAsync(function, queue, message, settings, stoppingToken)));
                wait = batch.Length > 0 ? MinPollingInterval : Min(wait * 2, settings.MaxPollingInterval);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception) when (exception is Azure.RequestFailedException or StorageUnavailableException)
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

    private async Task HandleAsync(
        QueueFunction function,
        QueueClient queue,
        QueueMessage message,
        QueueOptions settings,
        CancellationToken stoppingToken)
    {
        Exception? failure = null;
        var lease = new MessageLease(queue, message, settings.MessageLease, timeProvider, logger);
        await using (lease)
        {
            try
            {
                await invoker.InvokeAsync(
                    function,
                    new ReceivedMessage(message.MessageId, message.Body.ToString(), message.DequeueCount),
                    stoppingToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                failure = exception;
            }
        }

        try
        {
            if (failure is null)
            {
                await queue.DeleteMessageAsync(message.MessageId, lease.PopReceipt, stoppingToken);
                metrics.MessagePoisoned(function.Name);
            }
            else if (failure is UnreadableMessageException || message.DequeueCount >= settings.MaxDequeueCount)
            {
                // Poison first, then delete: a crash between the two leaves a copy, never a loss.
                logger.LogError(
                    failure,
                    "Message {MessageId} of {Queue} failed on try {Count}; moving it to {Poison}.",
                    message.MessageId,
                    function.Queue,
                    message.DequeueCount,
                    function.PoisonQueue);
                await queues.RunAsync(
                    function.PoisonQueue,
                    poison => poison.SendMessageAsync(message.Body.ToString(), stoppingToken),
                    stoppingToken);
                await queue.DeleteMessageAsync(message.MessageId, lease.PopReceipt, stoppingToken);
            }
            else
            {
                logger.LogWarning(
                    failure,
                    "Message {MessageId} of {Queue} failed (try {Count}); it will be retried.",
                    message.MessageId,
                    function.Queue,
                    message.DequeueCount);
                await queue.UpdateMessageAsync(
                    message.MessageId,
                    lease.PopReceipt,
                    visibilityTimeout: settings.VisibilityTimeout,
                    cancellationToken: stoppingToken);
            }
        }
        catch (Exception exception) when (exception is Azure.RequestFailedException or StorageUnavailableException)
        {
            // The lease was lost (storage away too long): the message reappears and is tried again, which handlers tolerate.
            logger.LogWarning(
                exception,
                "Could not settle message {MessageId} of {Queue}; it will reappear.",
                message.MessageId,
                function.Queue);
        }
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    /// <summary>Keeps one received message hidden while its handler runs, renewing at half the lease.</summary>
    private sealed class MessageLease : IAsyncDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _renewal;

        public MessageLease(QueueClient queue, QueueMessage message, TimeSpan duration, TimeProvider timeProvider, ILogger logger)
        {
            PopReceipt = message.PopReceipt;
            _renewal = RenewAsync(queue, message.MessageId, duration, timeProvider, logger, _stop.Token);
        }

        /// <summary>Each renewal changes the pop receipt; deleting needs the latest.</summary>
        public string PopReceipt { get; private set; }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            await _renewal;
            _stop.Dispose();
        }

        private async Task RenewAsync(
            QueueClient queue,
            string messageId,
            TimeSpan duration,
            TimeProvider timeProvider,
            ILogger logger,
            CancellationToken stop)
        {
            try
            {
                while (true)
                {
                    await Task.Delay(duration / 2, timeProvider, stop);
                    var receipt = await queue.UpdateMessageAsync(
                        messageId,
                        PopReceipt,
                        visibilityTimeout: duration,
                        cancellationToken: stop);
                    PopReceipt = receipt.Value.PopReceipt;
                }
            }
            catch (OperationCanceledException)
            {
                // The handler finished.
            }
            catch (Azure.RequestFailedException exception)
            {
                logger.LogWarning(
                    exception,
                    "Could not renew the lease on message {MessageId}; another instance may handle it too.",
                    messageId);
            }
        }
    }
}
