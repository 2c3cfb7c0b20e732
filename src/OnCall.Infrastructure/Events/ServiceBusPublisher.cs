using System.Text.Json;
using Azure.Identity;
using Azure.Messaging.ServiceBus;
using Microsoft.Extensions.Logging;
using OnCall.Core.Events;
using OnCall.Core.Notifications;
using OnCall.Core.Ports;

namespace OnCall.Infrastructure.Events;

/// <summary>
/// Sends domain events to the Service Bus topic through the app's one <see cref="ServiceBusSender"/>, with
/// <c>MessageId</c> = the event's id, so the topic's duplicate detection drops a repeat, and <c>Subject</c> = the event
/// type for subscription filters. A send that fails after the SDK's own retries is reported as
/// <see cref="DeliveryStatus.Failed"/>, so the caller retries this channel alone; the reason and the log line name the
/// failure's kind, never the connection string.
/// </summary>
public sealed class ServiceBusPublisher(ServiceBusSender sender, ILogger<ServiceBusPublisher> logger) : IEventPublisher
{
    private const string ContentType = "application/json";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task<ChannelDelivery> PublishAsync(DomainEvent domainEvent, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(domainEvent);
        var message = new ServiceBusMessage(
            BinaryData.FromString(JsonSerializer.Serialize(domainEvent.Data, domainEvent.Data.GetType(), Json)))
        {
            MessageId = domainEvent.MessageId,
            Subject = domainEvent.Type,
            ContentType = ContentType,
        };

        string reason;
        Exception failure;
        try
        {
            await sender.SendMessageAsync(message, cancellationToken);
            logger.LogInformation("Event {EventType} {MessageId} sent to the Service Bus topic", domainEvent.Type, domainEvent.MessageId);
            return ChannelDelivery.Sent(NotificationChannel.ServiceBus);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (ServiceBusException e)
        {
            // The SDK has already retried a transient one; the next run tries again either way.
            (reason, failure) = ($"Service Bus {e.Reason}{(e.IsTransient ? " (transient)" : "")}", e);
        }
        catch (UnauthorizedAccessException e)
        {
            (reason, failure) = ("not authorised to send to the topic", e);
        }
        catch (AuthenticationFailedException e)
        {
            (reason, failure) = ("no Entra ID token for the app's identity", e);
        }
        catch (OperationCanceledException e)
        {
            (reason, failure) = ("timed out", e);
        }

        // Not the exception itself: its message is the SDK's or the service's text, which we cannot vouch for.
        logger.LogWarning(
            "Event {EventType} {MessageId} to the Service Bus topic failed: {Reason} ({ExceptionType})",
            domainEvent.Type,
            domainEvent.MessageId,
            reason,
            failure.GetType().Name);
        return ChannelDelivery.Failed(NotificationChannel.ServiceBus, reason);
    }
}

/// <summary>The publisher while <c>OnCall:ServiceBus</c> is off: every event is recorded as not configured.</summary>
internal sealed class NotConfiguredEventPublisher : IEventPublisher
{
    public Task<ChannelDelivery> PublishAsync(DomainEvent domainEvent, CancellationToken cancellationToken = default) =>
        Task.FromResult(ChannelDelivery.NotConfigured(NotificationChannel.ServiceBus));
}
