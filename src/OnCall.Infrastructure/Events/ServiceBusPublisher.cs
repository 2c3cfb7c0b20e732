using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure.Core;
using Azure.Identity;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OnCall.Core.Events;
using OnCall.Core.Notifications;
using OnCall.Core.Ports;
using OnCall.Infrastructure.Notifications;

namespace OnCall.Infrastructure.Events;

/// <summary>
/// Sends domain events to the Service Bus topic over its REST API (the Service Bus SDK is not available here):
/// <c>POST https://{namespace}/{topic}/messages</c>, authorised with a SAS token or the app's Entra ID token, with
/// <c>BrokerProperties</c> <c>MessageId</c> = the event's id so the topic's duplicate detection drops a repeat, and
/// <c>Label</c> = the event type for subscription filters.
/// </summary>
public sealed class ServiceBusPublisher(HttpClient http, IOptions<ServiceBusOptions> options, TimeProvider timeProvider, ILogger<ServiceBusPublisher> logger) : IEventPublisher
{
    private const string Destination = "Service Bus topic";
    private const string EntraScope = "https://servicebus.azure.net/.default";

    // Long enough to outlast every retry of one send; a new token is made for each send.
    private static readonly TimeSpan TokenLifetime = TimeSpan.FromMinutes(15);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly Lazy<TokenCredential> _credential = new(() => new DefaultAzureCredential(new DefaultAzureCredentialOptions
    {
        ManagedIdentityClientId = string.IsNullOrWhiteSpace(options.Value.ClientId) ? null : options.Value.ClientId,
    }));

    public async Task<ChannelDelivery> PublishAsync(DomainEvent domainEvent, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(domainEvent);
        var settings = options.Value;
        if (!settings.IsConfigured)
        {
            return ChannelDelivery.NotConfigured(NotificationChannel.ServiceBus);
        }

        var connection = string.IsNullOrWhiteSpace(settings.ConnectionString) ? null : Parse(settings.ConnectionString);
        var host = connection?.Host ?? ServiceBusConnection.HostOf(settings.Namespace!);
        var topicUri = new Uri($"https://{host}/{settings.Topic}");
        string authorization;
        try
        {
            authorization = connection is not null
                ? connection.SharedAccessSignature(topicUri, timeProvider.GetUtcNow() + TokenLifetime)
                : "Bearer " + (await _credential.Value.GetTokenAsync(new TokenRequestContext([EntraScope]), cancellationToken)).Token;
        }
        catch (AuthenticationFailedException e)
        {
            logger.LogWarning("No token for the {Destination}: {ExceptionType}", Destination, e.GetType().Name);
            return ChannelDelivery.Failed(NotificationChannel.ServiceBus, "no Entra ID token for the app's identity");
        }

        var target = new Uri(settings.BaseUrl ?? new Uri($"https://{host}/"), $"{settings.Topic}/messages");
        using var request = new HttpRequestMessage(HttpMethod.Post, target)
        {
            Content = new StringContent(JsonSerializer.Serialize(domainEvent.Data, domainEvent.Data.GetType(), Json), Encoding.UTF8, "application/json"),
        };
        request.Headers.TryAddWithoutValidation("Authorization", authorization);
        request.Headers.TryAddWithoutValidation("BrokerProperties", new JsonObject
        {
            ["MessageId"] = domainEvent.MessageId,
            ["Label"] = domainEvent.Type,
        }.ToJsonString());
        return await WebhookPost.SendAsync(http, NotificationChannel.ServiceBus, Destination, request, logger, cancellationToken);
    }

    // Validated at start, so a failure here is a bug rather than a setting.
    private static ServiceBusConnection Parse(string connectionString) =>
        ServiceBusConnection.TryParse(connectionString, out var connection) is null
            ? connection!
            : throw new InvalidOperationException("OnCall:ServiceBus:ConnectionString was accepted at start and cannot be read now.");
}
